using Azure.Core;
using Azure.Identity;
using ChorusFunctions.Settings;
using ChorusFunctions.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChorusFunctions.Email;

/// <summary>Email settings (validated at start-up), the templates, and the sender chosen by <c>Email__Provider</c>.</summary>
public static class EmailRegistration
{
    public static IServiceCollection AddEmailDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EmailOptions>(configuration, EmailOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TemplateRenderer>();
        services.TryAddSingleton<EmailComposer>();

        services.TryAddSingleton<SmtpEmailSender>();
        services.TryAddSingleton(sp =>
        {
            IOptions<EmailOptions> options = sp.GetRequiredService<IOptions<EmailOptions>>();
            AcsOptions acs = options.Value.Acs;
            // A managed identity only when no access key signs: the one named for email, else the app's usual identity.
            TokenCredential? credential = !string.IsNullOrEmpty(acs.AccessKey) ? null
                : string.IsNullOrWhiteSpace(acs.ClientId) ? StorageRegistration.CreateCredential(configuration)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(acs.ClientId));
            return new AcsEmailSender(options, credential, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AcsEmailSender>>());
        });
        services.TryAddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.Provider switch
        {
            EmailProvider.AzureCommunicationServices => sp.GetRequiredService<AcsEmailSender>(),
            _ => sp.GetRequiredService<SmtpEmailSender>(),
        });
        return services;
    }
}
