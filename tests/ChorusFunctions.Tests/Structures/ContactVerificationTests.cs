using System.Text.RegularExpressions;
using ChorusFunctions.Email;
using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using ChorusFunctions.Tests.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;
using ChorusFunctions.Joining;

namespace ChorusFunctions.Tests.Structures;

/// <summary>
/// The gestionnaire principal's contact address gets joining requests only once verified by its own link, through
/// the real orchestrations on the in-process durable host with real tables on Azurite.
/// </summary>
public sealed class ContactVerificationTests
{
    static async Task<DurableHarness> StartAsync(string lifetime = "7.00:00:00", int maxEmails = 3) =>
        await DurableHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Structures:ContactVerificationLifetime"] = lifetime,
            ["Structures:MaxContactVerificationEmails"] = maxEmails.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    static ContactEmailVerification Verification(DurableHarness harness) => harness.Services.GetRequiredService<ContactEmailVerification>();

    static JoinRequestService JoinRequests(DurableHarness harness) => harness.Services.GetRequiredService<JoinRequestService>();

    static string ContactTokenOf(EmailMessage message) =>
        Regex.Match(message.PlainText, @"contact=([A-Za-z0-9_\-]+)") is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("No verification link in: " + message.PlainText);

    /// <summary>Steps 1 to 3 then activation, with <paramref name="contactEmail"/> typed at step 2.</summary>
    static async Task<string> ActivatedAsync(DurableHarness harness, string email, string siret, string? contactEmail)
    {
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", siret), "fr", default));
        Expect(await harness.Signups.SubmitDetailsAsync(started.SignupId, ValidDetails(email) with { ContactEmail = contactEmail }, default));
        Expect(await harness.Signups.SubmitWorkspacesAsync(started.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (Expect(await harness.Signups.GetAsync(started.SignupId, default)) is not { Role: not null, Finalized: true })
        {
            Assert.True(DateTime.UtcNow < deadline, $"Signup {started.SignupId} was never given its role.");
            await Task.Delay(50);
        }

        return started.SignupId;
    }

    /// <summary>A gestionnaire principal on a new SIRET whose contact address differs from its login address.</summary>
    static async Task<(string Siret, string LoginEmail, string Contact)> GestionnaireAsync(DurableHarness harness)
    {
        string siret = Sirets.NewValid();
        string login = Sirets.NewEmail("gp");
        string contact = Sirets.NewEmail("gp-contact");
        await ActivatedAsync(harness, login, siret, contact);
        return (siret, login, contact);
    }

    /// <summary>Someone else activates on the same SIRET: the joining request is mailed.</summary>
    static async Task<string> JoinerAsync(DurableHarness harness, string siret, string gpLogin)
    {
        string signupId = await ActivatedAsync(harness, Sirets.NewEmail("joiner"), siret, null);
        await harness.Emails.WaitForPurposeAsync(gpLogin, $"{signupId}:joining-request");
        return signupId;
    }

    /// <summary>The contact-address emails sent so far whose key contains <paramref name="purpose"/>.</summary>
    static EmailMessage[] To(DurableHarness harness, string address, string purpose) =>
        harness.Emails.Delivered.Where(m => m.To == address && m.IdempotencyKey.Contains(purpose, StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task An_unverified_contact_address_gets_its_link_not_the_request_and_the_requests_once_verified()
    {
        await using DurableHarness harness = await StartAsync();
        (string siret, string login, string contact) = await GestionnaireAsync(harness);

        string first = await JoinerAsync(harness, siret, login);
        EmailMessage verification = await harness.Emails.WaitForPurposeAsync(contact, ":contact-verification:1");
        Assert.Empty(To(harness, contact, ":joining-request"));
        Assert.All(harness.Emails.Delivered.Where(m => m.To == contact), m => Assert.Contains(":contact-verification", m.IdempotencyKey, StringComparison.Ordinal));
        string token = ContactTokenOf(verification);

        // A GET (a mail scanner, the page) shows the address and verifies nothing.
        ContactVerificationView shown = Expect(await Verification(harness).GetAsync(token, default));
        Assert.Equal(contact, shown.ContactEmail);
        Assert.False(shown.Verified);
        Assert.False(Expect(await Verification(harness).GetAsync(token, default)).Verified);

        ContactVerificationView confirmed = Expect(await Verification(harness).ConfirmAsync(token, default));
        Assert.True(confirmed.Verified);
        // Sent again (a double click), the same answer.
        Assert.True(Expect(await Verification(harness).ConfirmAsync(token, default)).Verified);

        string second = await JoinerAsync(harness, siret, login);
        EmailMessage toContact = await harness.Emails.WaitForPurposeAsync(contact, $"{second}:joining-request:contact");
        EmailMessage toLogin = await harness.Emails.WaitForPurposeAsync(login, $"{second}:joining-request");
        // The same decision link, held only by the two recipients; it shows the request.
        string decision = RecordingEmailSender.TokenOf(toContact);
        Assert.Equal(RecordingEmailSender.TokenOf(toLogin), decision);
        Assert.Equal(JoinRequestStatus.Pending, Expect(await JoinRequests(harness).GetAsync(decision, default)).Status);
        // The first request, mailed before the verification, never reaches the contact address; no new link is sent.
        Assert.Empty(To(harness, contact, $"{first}:joining-request"));
        Assert.Single(To(harness, contact, ":contact-verification"));
    }

    [Fact]
    public async Task The_verification_email_is_resent_with_each_request_up_to_the_limit_and_only_the_latest_link_works()
    {
        await using DurableHarness harness = await StartAsync(maxEmails: 2);
        (string siret, string login, string contact) = await GestionnaireAsync(harness);

        await JoinerAsync(harness, siret, login);
        string firstLink = ContactTokenOf(await harness.Emails.WaitForPurposeAsync(contact, ":contact-verification:1"));
        await JoinerAsync(harness, siret, login);
        EmailMessage second = await harness.Emails.WaitForPurposeAsync(contact, ":contact-verification:2");
        Assert.Contains("encore possibles après celui-ci : 0", second.PlainText, StringComparison.Ordinal);
        string third = await JoinerAsync(harness, siret, login);

        Assert.Equal(2, To(harness, contact, ":contact-verification").Length);
        Assert.Empty(To(harness, contact, ":joining-request"));
        Assert.Equal(ErrorCodes.ContactVerificationLinkInvalid, (await Verification(harness).ConfirmAsync(firstLink, default)).Problem?.Code);
        Assert.True(Expect(await Verification(harness).ConfirmAsync(ContactTokenOf(second), default)).Verified);
        // Requests filed before the verification stay with the login address.
        Assert.Empty(To(harness, contact, $"{third}:joining-request"));
    }

    [Fact]
    public async Task Expired_unknown_and_foreign_links_are_gone_and_say_nothing_of_an_address()
    {
        await using DurableHarness harness = await StartAsync(lifetime: "00:00:05");
        (string siret, string login, string contact) = await GestionnaireAsync(harness);
        string joiner = await JoinerAsync(harness, siret, login);
        string link = ContactTokenOf(await harness.Emails.WaitForPurposeAsync(contact, ":contact-verification:1"));
        string decision = RecordingEmailSender.TokenOf(await harness.Emails.WaitForPurposeAsync(login, $"{joiner}:joining-request"));

        // Each link opens only its own door.
        Assert.Equal(ErrorCodes.ContactVerificationLinkInvalid, (await Verification(harness).GetAsync(decision, default)).Problem?.Code);
        Assert.Equal(410, (await JoinRequests(harness).GetAsync(link, default)).Problem?.Status);
        Assert.Equal(410, (await JoinRequests(harness).DecideAsync(link, JoinRequestStatus.Approved, harness.Client, default)).Problem?.Status);

        await Task.Delay(TimeSpan.FromSeconds(6));
        foreach (string token in new[] { link, new string('A', 43), "not-a-token" })
        {
            ApiProblem gone = (await Verification(harness).ConfirmAsync(token, default)).Problem!;
            Assert.Equal(410, gone.Status);
            Assert.Equal(ErrorCodes.ContactVerificationLinkInvalid, gone.Code);
            Assert.DoesNotContain("@", gone.Detail ?? "", StringComparison.Ordinal);
            Assert.Null(gone.Extensions);
            Assert.Equal(410, (await Verification(harness).GetAsync(token, default)).Problem?.Status);
        }

        // The next request sends a new link, the address still unverified.
        string later = await JoinerAsync(harness, siret, login);
        Assert.NotEqual(link, ContactTokenOf(await harness.Emails.WaitForPurposeAsync(contact, ":contact-verification:2")));
        Assert.Empty(To(harness, contact, $"{later}:joining-request:contact"));
    }
}
