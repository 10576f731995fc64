using System.Net;
using System.Text.RegularExpressions;
using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>
/// The gestionnaire principal's contact-address verification (<c>/rattachement?contact=…</c>): a joining request
/// sends the link to the contact address (smtp4dev), Chromium opens it, the page shows the address and verifies it
/// only on the button; the next joining request then reaches the contact address too.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ContactVerificationBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    readonly ApiClient api = new(fixture.Stack);

    Mailbox Mailbox => fixture.Stack.Mailbox;

    static bool IsJoining(Mailbox.MessageSummary message) => message.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase);

    async Task SignUpAndActivateAsync(string email, string siret, string? contactEmail)
    {
        ApiClient.Response started = await api.StartAsync(email, siret);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        string signupId = started.Text("signupId");
        ApiClient.Response details = await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", new
        {
            loginEmailConfirmation = email,
            lastName = "Durand",
            firstName = "Camille",
            contactEmail,
            structure = new { companyName = "JARDINS DU CONTACT", address = "4 ALLEE DES TILLEULS", postalCode = "69003", city = "LYON", country = "FR" },
            features = new { paymentRequests = true, dume = false },
        });
        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        Mailbox.Message activation = await Mailbox.WaitForMessageAsync(email, where: m => !IsJoining(m));
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(activation))).Status);
        await api.WaitForRoleAsync(signupId);
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+/rattachement\?contact=[A-Za-z0-9_%\-]+")]
    private static partial Regex ContactLinkPattern();

    [Fact]
    public async Task The_contact_address_is_verified_from_its_link_and_then_gets_the_joining_requests()
    {
        string siret = Sirets.NewValid();
        string gestionnaire = Sirets.NewEmail("gp");
        string contact = Sirets.NewEmail("gp-contact");
        await SignUpAndActivateAsync(gestionnaire, siret, contact);
        await SignUpAndActivateAsync(Sirets.NewEmail("rattachement"), siret, null);
        await Mailbox.WaitForMessageAsync(gestionnaire, where: IsJoining);

        Mailbox.Message verification = await Mailbox.WaitForMessageAsync(contact);
        Match match = ContactLinkPattern().Match(verification.PlainText);
        Assert.True(match.Success, verification.PlainText);
        string link = new Uri(fixture.Stack.BaseUrl, new Uri(match.Value).PathAndQuery).ToString();

        await using BrowserSession session = await fixture.NewSessionAsync(output, "verification-contact");
        IPage page = session.Page;
        await page.GotoAsync(link);
        await Expect(page.Locator("#view-contact")).ToBeVisibleAsync();
        await Expect(page.Locator("#contact-email")).ToHaveTextAsync(contact);
        Assert.DoesNotContain("contact=", page.Url, StringComparison.Ordinal);
        await session.CheckScreenAsync("adresse");

        // Opening the link (the page, a mail scanner) verified nothing.
        string token = Uri.UnescapeDataString(match.Value[(match.Value.IndexOf("contact=", StringComparison.Ordinal) + "contact=".Length)..]);
        Assert.False((await api.SendAsync(HttpMethod.Get, $"api/contact-verifications/{token}")).Body!["verified"]!.GetValue<bool>());

        await page.Locator("#contact-confirm").ClickAsync();
        await Expect(page.Locator("#view-contact-done")).ToBeVisibleAsync();
        await Expect(page.Locator("#contact-done-message")).ToHaveTextAsync($"L’adresse {contact} est vérifiée.");
        await session.CheckScreenAsync("verifiee");

        await SignUpAndActivateAsync(Sirets.NewEmail("rattachement"), siret, null);
        await Mailbox.WaitForMessageAsync(contact, where: IsJoining);

        // A spent or unknown link: the page says so, naming no address.
        await page.GotoAsync(new Uri(fixture.Stack.BaseUrl, $"/rattachement?contact={new string('A', 43)}").ToString());
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#invalid-title")).ToHaveTextAsync("Ce lien de vérification n'est plus valide");
        await Expect(page.Locator("#view-invalid")).Not.ToContainTextAsync("@");
    }
}
