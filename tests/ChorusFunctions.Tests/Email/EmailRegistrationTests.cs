using ChorusFunctions.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Email;

public sealed class EmailRegistrationTests
{
    const string AccessKey = "Y2hvcnVzZnVuY3Rpb25zLXRlc3QtYWNjZXNzLWtleS0wMTIzNDU2Nzg5YWJjZGVm";

    static IHost Host(params (string Key, string Value)[] settings)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddLogging();
        builder.Services.AddEmailDelivery(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public void Smtp_is_the_default_provider()
    {
        using IHost host = Host();

        Assert.IsType<SmtpEmailSender>(host.Services.GetRequiredService<IEmailSender>());
        Assert.NotNull(host.Services.GetRequiredService<EmailComposer>());
    }

    [Fact]
    public void Azure_communication_services_is_chosen_by_the_provider_setting()
    {
        using IHost host = Host(
            ("Email:Provider", "AzureCommunicationServices"),
            ("Email:Acs:Endpoint", "https://contoso.france.communication.azure.com"),
            ("Email:Acs:AccessKey", AccessKey));

        Assert.IsType<AcsEmailSender>(host.Services.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public void Without_an_access_key_the_sender_uses_a_managed_identity()
    {
        using IHost host = Host(
            ("Email:Provider", "AzureCommunicationServices"),
            ("Email:Acs:Endpoint", "https://contoso.france.communication.azure.com"),
            ("Email:Acs:ClientId", "00000000-0000-0000-0000-000000000001"));

        // Building the sender creates the credential but asks no token until the first send.
        Assert.IsType<AcsEmailSender>(host.Services.GetRequiredService<IEmailSender>());
    }

    [Fact]
    public async Task Acs_without_an_endpoint_stops_the_start_up_with_a_clear_message()
    {
        using IHost host = Host(("Email:Provider", "AzureCommunicationServices"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Email__Acs__Endpoint is not set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Email:Acs:Endpoint", "http://contoso.communication.azure.com", "Email__Acs__Endpoint must be an absolute https URL")]
    [InlineData("Email:Acs:Endpoint", "contoso", "Email__Acs__Endpoint must be an absolute https URL")]
    [InlineData("Email:Acs:AccessKey", "not base64!", "Email__Acs__AccessKey must be")]
    [InlineData("Email:Acs:MaxAttempts", "0", "Email__Acs__MaxAttempts")]
    [InlineData("Email:Acs:PollTimeout", "01:00:00", "Email__Acs__PollTimeout")]
    public async Task Invalid_acs_settings_are_named_at_start_up(string key, string value, string message)
    {
        var settings = new Dictionary<string, string>
        {
            ["Email:Provider"] = "AzureCommunicationServices",
            ["Email:Acs:Endpoint"] = "https://contoso.france.communication.azure.com",
        };
        settings[key] = value;
        using IHost host = Host([.. settings.Select(s => (s.Key, s.Value))]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_reply_to_address_stops_the_start_up()
    {
        using IHost host = Host(("Email:ReplyTo", "not an address"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ReplyTo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loopback_http_endpoint_is_accepted_for_local_fakes()
    {
        var result = new DataAnnotationValidateOptions<EmailOptions>(null).Validate(null, new EmailOptions
        {
            Provider = EmailProvider.AzureCommunicationServices,
            Acs = { Endpoint = "http://127.0.0.1:8089", AccessKey = AccessKey },
        });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
