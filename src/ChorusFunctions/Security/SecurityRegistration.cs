using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Signup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Security;

/// <summary>The security controls' services, registered by both hosts through <see cref="ServiceRegistration"/>.</summary>
public static class SecurityRegistration
{
    public const string DevelopmentOnlyMessage =
        "Captcha__Provider=None turns the captcha off: it is allowed only in the Development environment " +
        "(AZURE_FUNCTIONS_ENVIRONMENT, DOTNET_ENVIRONMENT or ASPNETCORE_ENVIRONMENT = Development).";

    public static IServiceCollection AddChorusSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClientAddressOptions>().Bind(configuration.GetSection(ClientAddressOptions.Section))
            .Validate(o => o.IsValid, "Security__TrustedHops must be 0 to 10, and Security__ClientAddressHeader a header name (letters, digits, dashes).")
            .ValidateOnStart();
        services.AddOptions<SecurityKeyOptions>().Bind(configuration.GetSection(SecurityKeyOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.AuditKey) || SecurityOptions.IsValidKey(o.AuditKey), "Security__AuditKey, when set, must be the base64 of at least 32 random bytes.")
            .ValidateOnStart();
        services.AddOptions<EnumerationProtectionOptions>().Bind(configuration.GetSection(EnumerationProtectionOptions.Section));
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.IsValid(), "Each RateLimits__*__PermitLimit must be 1 to 1,000,000 and each RateLimits__*__Window 1 second to 1 day; RateLimits__EmailReserve 0 to less than RateLimits__EmailsPerMinute__PermitLimit.")
            .ValidateOnStart();
        services.AddOptions<LockoutOptions>().Bind(configuration.GetSection(LockoutOptions.Section))
            .Validate(o => o.IsValid, "Lockout__MaxFailedActivations and Lockout__MaxUnknownTokens must be at least 1; Lockout__FailureWindow and Lockout__Duration 1 second to 1 day.")
            .ValidateOnStart();
        services.AddOptions<CaptchaOptions>().Bind(configuration.GetSection(CaptchaOptions.Section))
            .Validate(o => o.IsValid, "Captcha__Provider must be Image or None, and Captcha__Lifetime 10 seconds to 1 hour.")
            .Validate<IHostEnvironment>((o, environment) => o.Provider != CaptchaProviderKind.None || IsDevelopment(environment), DevelopmentOnlyMessage)
            .ValidateOnStart();

        services.AddOptions<ProofOfWorkOptions>().Bind(configuration.GetSection(ProofOfWorkOptions.Section))
            .Validate(o => o.IsValid, "ProofOfWork__MaxNumber must be 1,000 to 10,000,000, and ProofOfWork__Lifetime 10 seconds to 30 minutes.")
            .ValidateOnStart();

        services.AddSingleton<SecurityKeys>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<CaptchaStore>();
        services.AddSingleton<RateCounterStore>();
        services.AddSingleton<SecurityMarkStore>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<RequestThrottle>();
        services.AddSingleton<ExistingAccountNotifier>();
        services.AddSingleton<ProofOfWorkService>();
        services.AddSingleton<SignupGuard>();
        services.AddSingleton<LocalLockout>();
        services.AddSingleton<ActivationGuard>();
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
}
