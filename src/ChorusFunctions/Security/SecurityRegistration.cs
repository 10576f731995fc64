using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Security.RateLimits;

namespace ChorusFunctions.Security;

/// <summary>The security controls' services, registered by both hosts through <see cref="ServiceRegistration"/>.</summary>
public static class SecurityRegistration
{
    public const string DevelopmentOnlyMessage =
        "Captcha__Provider=None turns the captcha off: it is allowed only in the Development environment " +
        "(AZURE_FUNCTIONS_ENVIRONMENT, DOTNET_ENVIRONMENT or ASPNETCORE_ENVIRONMENT = Development).";

    public static IServiceCollection AddChorusSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutOptions>().Bind(configuration.GetSection(LockoutOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProofOfWorkOptions>().Bind(configuration.GetSection(ProofOfWorkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CaptchaOptions>().Bind(configuration.GetSection(CaptchaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CaptchaOptions>, CaptchaEnvironmentValidator>();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();

        services.AddSingleton<SecurityKeys>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<CaptchaStore>();
        services.AddSingleton<RateCounterStore>();
        services.AddSingleton<SecurityMarkStore>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<RequestThrottle>();
        services.AddSingleton<ExistingAccountNotifier>();
        services.AddSingleton<ProofOfWorkService>();
        services.AddSingleton<RequestGuard>();
        services.AddSingleton<LocalLockout>();
        services.AddSingleton<LinkLockout>();
        services.AddSingleton<SecurityCleanup>();

        // Captcha__Provider picks the provider; step 2 verifies through the same instance.
        services.AddSingleton<ImageCaptchaProvider>();
        services.AddSingleton<NoCaptchaProvider>();
        services.AddSingleton<ICaptchaProvider>(sp => sp.GetRequiredService<IOptions<CaptchaOptions>>().Value.Provider switch
        {
            CaptchaProviderKind.None => sp.GetRequiredService<NoCaptchaProvider>(),
            _ => sp.GetRequiredService<ImageCaptchaProvider>(),
        });
        services.AddSingleton<ICaptchaVerifier>(sp => sp.GetRequiredService<ICaptchaProvider>());
        return services;
    }

    /// <summary>
    /// Development in either host: the local host's environment, or the Functions host's
    /// (<c>AZURE_FUNCTIONS_ENVIRONMENT</c>, which the worker's host environment does not always reflect).
    /// </summary>
    public static bool IsDevelopment(IHostEnvironment environment) =>
        environment.IsDevelopment()
        || string.Equals(Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT"), Environments.Development, StringComparison.OrdinalIgnoreCase);

    /// <summary>Turning the captcha off is for development only, which data annotations cannot see.</summary>
    sealed class CaptchaEnvironmentValidator(IHostEnvironment environment) : IValidateOptions<CaptchaOptions>
    {
        public ValidateOptionsResult Validate(string? name, CaptchaOptions options) =>
            options.Provider != CaptchaProviderKind.None || IsDevelopment(environment) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(DevelopmentOnlyMessage);
    }

    /// <summary>Each rule is a nested object and the reserve is bounded by another setting: beyond data annotations.</summary>
    sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
    {
        public ValidateOptionsResult Validate(string? name, RateLimitOptions options) => options.IsValid() ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(
            "Each RateLimits__*__PermitLimit must be 1 to 1,000,000 and each RateLimits__*__Window 1 second to 1 day; RateLimits__EmailReserve 0 to less than RateLimits__EmailsPerMinute__PermitLimit.");
    }
}
