using ChorusFunctions.Accounts;
using ChorusFunctions.Activation;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Email;
using ChorusFunctions.Joining;
using ChorusFunctions.Settings;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Structures;
using ChorusFunctions.Sweep;

namespace ChorusFunctions;

/// <summary>The application's services, registered identically by the Functions host and the local host.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddChorusFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<Telemetry.SignupMetrics>();
        services.AddTableStorage(configuration);

        services.AddValidatedOptions<SignupOptions>(configuration, SignupOptions.Section);
        services.AddValidatedOptions<StructuresOptions>(configuration, StructuresOptions.Section);
        services.AddEmailDelivery(configuration);
        services.AddValidatedOptions<PrivacyOptions>(configuration, PrivacyOptions.Section);
        services.AddValidatedOptions<CleanupOptions>(configuration, CleanupOptions.Section);

        services.AddSingleton<SignupStore>();
        services.AddSingleton<SignupStateMachine>();
        services.AddSingleton<SignupWatch>();
        services.AddSingleton<EmailReservationStore>();
        services.AddSingleton<LoginEmails>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<StructureStore>();
        services.AddSingleton<JoinRequestStore>();
        services.AddSingleton<ActivationTokenStore>();
        services.AddSingleton<ExpiryIndex>();
        services.AddSingleton<ActivationTokens>();

        services.AddStructureDirectory(configuration);

        services.AddSingleton<StructureLookupService>();
        services.AddSingleton<JoinRequestLifecycle>();
        services.AddSingleton<JoinRequestService>();
        services.AddSingleton<ContactEmailVerification>();
        services.AddSingleton<SignupService>();
        services.AddSingleton<SignupCookie>();
        services.AddSingleton<ISignupAccess>(sp => sp.GetRequiredService<SignupCookie>());
        services.AddSingleton<SignupLifecycle>();
        services.AddSingleton<ActivationService>();
        services.AddSingleton<CleanupService>();

        // Captcha provider (also the step-2 verifier), rate limits, lockout, audit trail.
        services.AddChorusSecurity(configuration);
        return services;
    }
}
