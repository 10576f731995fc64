using ChorusFunctions.Accounts;
using ChorusFunctions.Activation;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Email;
using ChorusFunctions.Security;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Structures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

        services.AddOptions<SignupOptions>().Bind(configuration.GetSection(SignupOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StructuresOptions>().Bind(configuration.GetSection(StructuresOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddEmailDelivery(configuration);
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CleanupOptions>().Bind(configuration.GetSection(CleanupOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Scheduling.TimerSchedule.TryParse(o.Schedule) is not null, "Cleanup__Schedule must be an NCRONTAB expression (six fields, with seconds).")
            .ValidateOnStart();

        services.AddSingleton<SignupStore>();
        services.AddSingleton<SignupStateMachine>();
        services.AddSingleton<SignupWatch>();
        services.AddSingleton<EmailReservationStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<StructureStore>();
        services.AddSingleton<JoinRequestStore>();
        services.AddSingleton<ActivationTokenStore>();
        services.AddSingleton<ExpiryIndex>();
        services.AddSingleton<ActivationTokens>();

        services.AddStructureDirectory(configuration);
        services.AddSingleton<EmailComposer>();

        services.AddSingleton<StructureLookupService>();
        services.AddSingleton<JoinRequestLifecycle>();
        services.AddSingleton<JoinRequestService>();
        services.AddSingleton<ContactEmailVerification>();
        services.AddSingleton<SignupService>();
        services.AddSingleton<SignupCookie>();
        services.AddSingleton<SignupLifecycle>();
        services.AddSingleton<ActivationService>();
        services.AddSingleton<CleanupService>();

        // Captcha provider (also the step-2 verifier), rate limits, lockout, audit trail.
        services.AddChorusSecurity(configuration);
        return services;
    }
}
