using System.Net;
using System.Text.Json.Nodes;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Structures;

/// <summary>
/// Joining an existing structure end to end on the local stack: both people sign up over HTTP, the gestionnaire
/// principal's decision link and the requester's outcome are read from the real mailbox (smtp4dev).
/// </summary>
public sealed class JoiningTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    readonly ApiClient api = new(fixture.Stack);

    Mailbox Mailbox => fixture.Stack.Mailbox;

    /// <summary>Steps 1 to 4 over HTTP for <paramref name="email"/> on <paramref name="siret"/>; returns the signup id.</summary>
    async Task<string> SignUpAndActivateAsync(string email, string siret, bool expectExisting)
    {
        ApiClient.Response started = await api.StartAsync(email, siret);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(expectExisting, started.Body!["structure"]!["exists"]!.GetValue<bool>());
        string signupId = started.Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        Mailbox.Message activation = await fixture.Stack.WaitForEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(activation))).Status);
        await api.WaitForRoleAsync(signupId);
        return signupId;
    }

    static bool IsJoining(Mailbox.MessageSummary message) => message.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task A_second_user_joins_once_the_gestionnaire_principal_approves_from_the_email()
    {
        string siret = Sirets.NewValid();
        string gestionnaire = Sirets.NewEmail("gp");
        string joiner = Sirets.NewEmail("joiner");
        await SignUpAndActivateAsync(gestionnaire, siret, expectExisting: false);
        string joinerId = await SignUpAndActivateAsync(joiner, siret, expectExisting: true);

        ApiClient.Response pending = await api.GetSignupAsync(joinerId);
        Assert.Equal("Utilisateur", pending.Text("role"));
        Assert.Equal("PendingApproval", pending.Text("membership"));

        // The structure lookup says it exists, and nothing about who its users are.
        ApiClient.Response lookup = await api.SendAsync(HttpMethod.Get, $"api/structures/SIRET/{siret}");
        Assert.Equal(HttpStatusCode.OK, lookup.Status);
        Assert.True(lookup.Body!["exists"]!.GetValue<bool>());
        Assert.DoesNotContain(gestionnaire, lookup.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(joiner, lookup.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // The gestionnaire principal's email: the request with its decision links.
        Mailbox.Message request = await fixture.Stack.WaitForEmailAsync(gestionnaire, where: IsJoining);
        Assert.Contains(joiner, request.PlainText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("decision=approval", request.PlainText, StringComparison.Ordinal);
        string token = Mailbox.ActivationToken(request);

        ApiClient.Response shown = await api.SendAsync(HttpMethod.Get, $"api/join-requests/{token}");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Equal("Pending", shown.Text("status"));
        Assert.Equal(joiner, shown.Body!["requester"]!["loginEmail"]!.GetValue<string>());

        ApiClient.Response approved = await api.SendAsync(HttpMethod.Post, $"api/join-requests/{token}/approval");
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("Approved", approved.Text("status"));
        Assert.Equal("Active", (await api.GetSignupAsync(joinerId)).Text("membership"));

        // The requester's email: the outcome.
        Mailbox.Message outcome = await fixture.Stack.WaitForEmailAsync(joiner, where: IsJoining);
        Assert.Contains("accept", outcome.Summary.Subject, StringComparison.OrdinalIgnoreCase);

        // The link was single use.
        ApiClient.Response again = await api.SendAsync(HttpMethod.Post, $"api/join-requests/{token}/refusal");
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Equal("join_request_link_invalid", again.Code);
        Assert.Equal("Approved", again.Text("requestStatus"));
    }

    [Fact]
    public async Task A_refused_request_is_told_to_the_requester()
    {
        string siret = Sirets.NewValid();
        string gestionnaire = Sirets.NewEmail("gp");
        string joiner = Sirets.NewEmail("joiner");
        await SignUpAndActivateAsync(gestionnaire, siret, expectExisting: false);
        string joinerId = await SignUpAndActivateAsync(joiner, siret, expectExisting: true);
        string token = Mailbox.ActivationToken(await fixture.Stack.WaitForEmailAsync(gestionnaire, where: IsJoining));

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{token}/refusal")).Status);

        Assert.Equal("Refused", (await api.GetSignupAsync(joinerId)).Text("membership"));
        Assert.Contains("refus", (await fixture.Stack.WaitForEmailAsync(joiner, where: IsJoining)).Summary.Subject, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_refused_requester_asks_again_from_the_email_and_the_gestionnaire_principal_sees_the_second_request()
    {
        string siret = Sirets.NewValid();
        string gestionnaire = Sirets.NewEmail("gp");
        string joiner = Sirets.NewEmail("joiner");
        await SignUpAndActivateAsync(gestionnaire, siret, expectExisting: false);
        string joinerId = await SignUpAndActivateAsync(joiner, siret, expectExisting: true);
        string token = Mailbox.ActivationToken(await fixture.Stack.WaitForEmailAsync(gestionnaire, where: IsJoining));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{token}/refusal")).Status);

        Mailbox.Message refused = await fixture.Stack.WaitForEmailAsync(joiner, where: IsJoining);
        Assert.Contains("demande n° 1 sur 3", refused.PlainText, StringComparison.Ordinal);
        string renewal = System.Text.RegularExpressions.Regex.Match(refused.PlainText, @"rattachement\?renewal=([A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.Equal(43, renewal.Length);

        // The stack's cool-down is 2 s: until then the renewal is a 429 with the date it may be sent from.
        ApiClient.Response renewed;
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while ((renewed = await api.SendAsync(HttpMethod.Post, $"api/join-requests/{renewal}/renewal")).Status == HttpStatusCode.TooManyRequests)
        {
            Assert.Contains("à partir du", renewed.Text("detail"), StringComparison.Ordinal);
            Assert.True(DateTime.UtcNow < deadline, "The cool-down never ended.");
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.OK, renewed.Status);
        Assert.Equal(2, renewed.Body!["attempt"]!.GetValue<int>());
        Assert.Equal("PendingApproval", (await api.GetSignupAsync(joinerId)).Text("membership"));

        Mailbox.Message second = await fixture.Stack.WaitForEmailAsync(gestionnaire, count: 2, where: IsJoining);
        Assert.Contains("demande n° 2 de cette personne", second.PlainText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{Mailbox.ActivationToken(second)}/approval")).Status);
        Assert.Equal("Active", (await api.GetSignupAsync(joinerId)).Text("membership"));

        // The renewal link is spent once its request is decided.
        ApiClient.Response spent = await api.SendAsync(HttpMethod.Post, $"api/join-requests/{renewal}/renewal");
        Assert.Equal(HttpStatusCode.Gone, spent.Status);
        Assert.Equal("join_request_link_invalid", spent.Code);
    }

    [Fact]
    public async Task A_stranger_who_never_activates_holds_nothing_and_sees_nobody()
    {
        string siret = Sirets.NewValid();

        // A stranger types the company's public SIRET with their own contact address, does steps 1 to 3, and stops.
        string stranger = Sirets.NewEmail("stranger");
        string strangerContact = Sirets.NewEmail("stranger-contact");
        ApiClient.Response started = await api.StartAsync(stranger, siret);
        string strangerId = started.Text("signupId");
        ApiClient.Response details = await api.SendAsync(HttpMethod.Put, $"api/signups/{strangerId}/details", new
        {
            loginEmailConfirmation = stranger,
            lastName = "Inconnu",
            firstName = "Quelqu'un",
            contactEmail = strangerContact,
            structure = new { companyName = "ETS HORTICOLES GEORGES TRUFFAUT", address = "8 RUE DES CHAMPS", postalCode = "91100", city = "CORBEIL-ESSONNES", country = "FR" },
            features = new { paymentRequests = true, dume = false },
        });
        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(strangerId)).Status);
        Mailbox.Message strangerActivation = await fixture.Stack.WaitForEmailAsync(stranger);
        ApiClient.Response pending = await api.GetSignupAsync(strangerId);
        Assert.Null(pending.Body!["role"]?.GetValue<string>());

        // Nothing exists yet: the lookup and the real manager's step 1 say so.
        Assert.False((await api.SendAsync(HttpMethod.Get, $"api/structures/SIRET/{siret}")).Body!["exists"]!.GetValue<bool>());
        string manager = Sirets.NewEmail("manager");
        string managerId = await SignUpAndActivateAsync(manager, siret, expectExisting: false);

        ApiClient.Response managerSignup = await api.GetSignupAsync(managerId);
        Assert.Equal("GestionnairePrincipal", managerSignup.Text("role"));
        Assert.Equal("Active", managerSignup.Text("membership"));
        Assert.True((await api.SendAsync(HttpMethod.Get, $"api/structures/SIRET/{siret}")).Body!["exists"]!.GetValue<bool>());

        // Should the stranger activate after all, they only ask to join; the request goes to the manager's login
        // address, and nothing carrying the manager's name or address reaches the stranger's typed addresses.
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(strangerActivation))).Status);
        ApiClient.Response joining = await api.WaitForRoleAsync(strangerId);
        Assert.Equal("Utilisateur", joining.Text("role"));
        Assert.Equal("PendingApproval", joining.Text("membership"));
        Mailbox.Message request = await fixture.Stack.WaitForEmailAsync(manager, where: IsJoining);
        Assert.Contains(stranger, request.PlainText, StringComparison.OrdinalIgnoreCase);
        foreach (string address in new[] { stranger, strangerContact })
        {
            Assert.DoesNotContain(await Mailbox.ListAsync(address), m => m.Subject.StartsWith("Demande de rattachement", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Unknown_links_are_gone(string token)
    {
        foreach ((HttpMethod method, string path) in new[] { (HttpMethod.Get, ""), (HttpMethod.Post, "/approval"), (HttpMethod.Post, "/refusal") })
        {
            ApiClient.Response response = await api.SendAsync(method, $"api/join-requests/{token}{path}");
            Assert.Equal(HttpStatusCode.Gone, response.Status);
            Assert.Equal("join_request_link_invalid", response.Code);
        }
    }
}
