using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Settings;

namespace ChorusFunctions.Security;

/// <summary>The security controls' services, registered by both hosts through <see cref="ServiceRegistration"/>.</summary>
public static class SecurityRegistration
{
    public const string DevelopmentOnlyMessage =
        "Captcha__Provider=None turns the captcha off: it is allowed only in the Development environment " +
        "(AZURE_FUNCTIONS_ENVIRONMENT, DOTNET_ENVIRONMENT or ASPNETCORE_ENVIRONMENT = Development).";

    public static IServiceCollection AddChorusSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SecurityOptions>(configuration, SecurityOptions.Section);
        services.AddValidatedOptions<LockoutOptions>(configuration, LockoutOptions.Section);
        services.AddValidatedOptions<ProofOfWorkOptions>(configuration, ProofOfWorkOptions.Section);

        // Beyond data annotations: turning the captcha off depends on the environment; each rate limit is a nested
        // object, and the email reserve is bounded by another setting.
        services.AddValidatedOptions<CaptchaOptions>(configuration, CaptchaOptions.Section)
            .Validate<IHostEnvironment>((options, environment) => options.Provider != CaptchaProviderKind.None || IsDevelopment(environment), DevelopmentOnlyMessage);
        services.AddValidatedOptions<RateLimitOptions>(configuration, RateLimitOptions.Section).Validate(options => options.IsValid(),
            "Each RateLimits__*__PermitLimit must be 1 to 1,000,000 and each RateLimits__*__Window 1 second to 1 day; RateLimits__EmailReserve 0 to less than RateLimits__EmailsPerMinute__PermitLimit; RateLimits__Instances 1 to 1,000.");

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
        services.AddSingleton<ICaptchaProvider>(sp => sp.GetRequiredService<IOptions<CaptchaOptions>>().Value.Provider switch
        {
            CaptchaProviderKind.None => new NoCaptchaProvider(),
            _ => sp.GetRequiredService<ImageCaptchaProvider>(),
        });
        services.AddSingleton<ICaptchaVerifier>(sp => sp.GetRequiredService<ICaptchaProvider>());
        return services;
    }

    /// <summary>Either host's environment: the worker's does not always reflect <c>AZURE_FUNCTIONS_ENVIRONMENT</c>.</summary>
    public static bool IsDevelopment(IHostEnvironment environment) =>
        environment.IsDevelopment()
        || string.Equals(Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT"), Environments.Development, StringComparison.OrdinalIgnoreCase);
}
