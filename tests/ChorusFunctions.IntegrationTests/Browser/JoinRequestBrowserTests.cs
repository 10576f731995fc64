using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>
/// The joining-request page (<c>/rattachement?token=…</c>) the gestionnaire principal opens from the email: a
/// gestionnaire principal and a joiner are produced through the API, the request email is read from smtp4dev and its
/// link opened in Chromium; the decision, the result page and the joiner's outcome email are checked.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class JoinRequestBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    const string CompanyName = "JARDINS DU RATTACHEMENT";

    readonly ApiClient api = new(fixture.Stack);

    Mailbox Mailbox => fixture.Stack.Mailbox;

    sealed record Scenario(string Siret, string Gestionnaire, string Joiner, string JoinerSignupId, Mailbox.Message RequestEmail);

    static bool IsJoining(Mailbox.MessageSummary message) => message.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase);

    /// <summary>Steps 1 to 4 over HTTP; returns the signup id.</summary>
    async Task<string> SignUpAndActivateAsync(string email, string siret, string lastName, string firstName, bool expectExisting)
    {
        ApiClient.Response started = await api.StartAsync(email, siret);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(expectExisting, started.Body!["structure"]!["exists"]!.GetValue<bool>());
        string signupId = started.Text("signupId");
        ApiClient.Response details = await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", new
        {
            loginEmailConfirmation = email,
            lastName,
            firstName,
            structure = new { companyName = CompanyName, address = "4 ALLEE DES TILLEULS", postalCode = "69003", city = "LYON", country = "FR" },
            features = new { paymentRequests = true, dume = false },
        });
        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        Mailbox.Message activation = await Mailbox.WaitForMessageAsync(email, where: m => !IsJoining(m));
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(activation))).Status);
        await api.WaitForRoleAsync(signupId);
        return signupId;
    }

    /// <summary>A gestionnaire principal (Camille Durand), then a joiner (Léa Martin) on the same new SIRET; the request email.</summary>
    async Task<Scenario> JoiningRequestAsync()
    {
        string siret = Sirets.NewValid();
        string gestionnaire = Sirets.NewEmail("gp");
        string joiner = Sirets.NewEmail("rattachement");
        await SignUpAndActivateAsync(gestionnaire, siret, "Durand", "Camille", expectExisting: false);
        string joinerId = await SignUpAndActivateAsync(joiner, siret, "Martin", "Léa", expectExisting: true);
        Mailbox.Message request = await Mailbox.WaitForMessageAsync(gestionnaire, where: IsJoining);
        return new Scenario(siret, gestionnaire, joiner, joinerId, request);
    }

    /// <summary>The email's approve or refuse link, pointed at this stack.</summary>
    string DecisionLink(Scenario scenario, string decision)
    {
        Match match = DecisionLinkPattern().Matches(scenario.RequestEmail.PlainText).FirstOrDefault(m => m.Groups["decision"].Value == decision)
            ?? throw new Xunit.Sdk.XunitException($"No {decision} link in the email:\n{scenario.RequestEmail.PlainText}");
        var link = new Uri(match.Value);
        Assert.Equal("/rattachement", link.AbsolutePath);
        return new Uri(fixture.Stack.BaseUrl, link.PathAndQuery).ToString();
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+/rattachement\?token=[A-Za-z0-9_%\-]+&decision=(?<decision>approval|refusal)")]
    private static partial Regex DecisionLinkPattern();

    [GeneratedRegex(@"https?://[^\s""'<>]+/rattachement\?renewal=[A-Za-z0-9_%\-]+")]
    private static partial Regex RenewalLinkPattern();

    static string GroupedSiret(string siret) => $"{siret[..3]} {siret[3..6]} {siret[6..9]} {siret[9..]}";

    async Task ExpectRequestShownAsync(IPage page, Scenario scenario)
    {
        await Expect(page.Locator("#view-request")).ToBeVisibleAsync();
        await Expect(page.Locator("#request-lead")).ToHaveTextAsync(
            $"Léa Martin demande à être rattaché(e) à la structure {CompanyName}, dont vous êtes le gestionnaire principal.");
        await Expect(page.Locator("#req-lastName")).ToHaveTextAsync("Martin");
        await Expect(page.Locator("#req-firstName")).ToHaveTextAsync("Léa");
        await Expect(page.Locator("#req-loginEmail")).ToHaveTextAsync(scenario.Joiner);
        await Expect(page.Locator("#req-contactEmail")).ToHaveTextAsync(scenario.Joiner);
        await Expect(page.Locator("#str-companyName")).ToHaveTextAsync(CompanyName);
        await Expect(page.Locator("#str-identifier-term")).ToHaveTextAsync("Numéro de SIRET");
        await Expect(page.Locator("#str-identifier")).ToHaveTextAsync(GroupedSiret(scenario.Siret));
        await Expect(page.Locator("#req-requestedAt")).ToContainTextAsync("(heure de Paris)");
        await Expect(page.Locator("#req-expiresAt")).ToContainTextAsync("dans 13 jours");
        await Expect(page.Locator("#approve")).ToHaveTextAsync("Accepter la demande");
        await Expect(page.Locator("#refuse")).ToHaveTextAsync("Refuser la demande");
        Assert.Equal("Demande de rattachement – ChorusFunctions", await page.TitleAsync());

        // The token left the address bar (kept in session storage for a reload only).
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        Assert.EndsWith("/rattachement", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gestionnaire_principal_approves_from_the_email_link_and_the_joiner_is_told()
    {
        Scenario scenario = await JoiningRequestAsync();
        await using BrowserSession session = await fixture.NewSessionAsync(output, "rattachement-accepte");
        IPage page = session.Page;
        string link = DecisionLink(scenario, "approval");

        await page.GotoAsync(link);
        await ExpectRequestShownAsync(page, scenario);
        await Expect(page.Locator("#decision-hint")).ToContainTextAsync("Vous avez choisi « Accepter » dans le courriel");

        // Opening the link decided nothing.
        Assert.Equal("PendingApproval", (await api.GetSignupAsync(scenario.JoinerSignupId)).Text("membership"));
        await session.CheckScreenAsync("demande");

        // A reload keeps the request (token from session storage).
        await page.ReloadAsync();
        await ExpectRequestShownAsync(page, scenario);

        await page.ClickAsync("#approve");
        await Expect(page.Locator("#view-result")).ToBeVisibleAsync();
        await Expect(page.Locator("#result-title")).ToHaveTextAsync("Demande de rattachement acceptée");
        await Expect(page.Locator("#result-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#result-message")).ToHaveTextAsync(
            $"La demande de rattachement de Léa Martin à la structure {CompanyName} a été acceptée.");
        await Expect(page.Locator("#result-informed")).ToHaveTextAsync($"Léa Martin en est informé(e) par courriel ({scenario.Joiner}).");
        await Expect(page.Locator("#result-decidedAt")).ToContainTextAsync("Décision enregistrée le");
        await Expect(page.Locator("#view-request")).ToBeHiddenAsync();
        await session.CheckScreenAsync("acceptee");

        Assert.Equal("Active", (await api.GetSignupAsync(scenario.JoinerSignupId)).Text("membership"));
        Mailbox.Message outcome = await Mailbox.WaitForMessageAsync(scenario.Joiner, where: IsJoining);
        Assert.Contains("accepté", outcome.Summary.Subject, StringComparison.Ordinal);
        // The structure as the register knows it (this SIRET it does not: its number), never as the gestionnaire principal typed it.
        Assert.Contains(scenario.Siret, outcome.Summary.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(CompanyName, outcome.PlainText, StringComparison.Ordinal);
        Assert.Contains("a accepté votre demande de rattachement", outcome.PlainText, StringComparison.Ordinal);

        // The token was forgotten: the result page does not survive as a live link.
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('chorus.joinRequestToken')"));

        // The same link again (or its refusal twin) only says how the request ended.
        await page.GotoAsync(DecisionLink(scenario, "refusal"));
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#invalid-title")).ToHaveTextAsync("Ce lien de rattachement n'est plus valide");
        await Expect(page.Locator("#invalid-reason")).ToHaveTextAsync("Cette demande de rattachement a déjà été acceptée.");
        await Expect(page.Locator("#approve")).ToBeHiddenAsync();
        await session.CheckScreenAsync("lien-deja-utilise");
        Assert.Equal("Active", (await api.GetSignupAsync(scenario.JoinerSignupId)).Text("membership"));
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task Refusing_asks_for_confirmation_in_a_dialog_and_is_done_with_the_keyboard_alone()
    {
        Scenario scenario = await JoiningRequestAsync();
        await using BrowserSession session = await fixture.NewSessionAsync(output, "rattachement-refuse");
        IPage page = session.Page;
        IKeyboard keys = session.Keyboard;

        await page.GotoAsync(DecisionLink(scenario, "refusal"));
        await ExpectRequestShownAsync(page, scenario);
        await Expect(page.Locator("#decision-hint")).ToContainTextAsync("Vous avez choisi « Refuser » dans le courriel");

        // The skip link comes first.
        await keys.PressAsync("Tab");
        Assert.Equal("Aller au contenu", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));

        // The dialog opens on its harmless choice and Escape gives the focus back.
        await session.TabToAsync("#refuse");
        await keys.PressAsync("Enter");
        ILocator dialog = page.Locator("#refuse-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.Locator("#refuse-no")).ToBeFocusedAsync();
        await Expect(page.Locator("#refuse-dialog-desc")).ToHaveTextAsync(
            $"Léa Martin ne sera pas rattaché(e) à la structure {CompanyName} et en sera informé(e) par courriel. Cette décision est définitive.");
        await session.CheckScreenAsync("confirmation-refus");
        await keys.PressAsync("Escape");
        await Expect(dialog).Not.ToBeVisibleAsync();
        await Expect(page.Locator("#refuse")).ToBeFocusedAsync();
        Assert.Equal("PendingApproval", (await api.GetSignupAsync(scenario.JoinerSignupId)).Text("membership"));

        // "Non" closes it too; then the refusal is confirmed.
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#refuse-no")).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(dialog).Not.ToBeVisibleAsync();
        await Expect(page.Locator("#refuse")).ToBeFocusedAsync();
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#refuse-no")).ToBeFocusedAsync();
        await keys.PressAsync("Tab");
        await Expect(page.Locator("#refuse-yes")).ToBeFocusedAsync();
        await keys.PressAsync("Enter");

        await Expect(page.Locator("#view-result")).ToBeVisibleAsync();
        await Expect(dialog).Not.ToBeVisibleAsync();
        await Expect(page.Locator("#result-title")).ToHaveTextAsync("Demande de rattachement refusée");
        await Expect(page.Locator("#result-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#result-message")).ToHaveTextAsync(
            $"La demande de rattachement de Léa Martin à la structure {CompanyName} a été refusée.");
        await Expect(page.Locator("#result-informed")).ToContainTextAsync("Léa Martin en est informé(e) par courriel");
        await session.CheckScreenAsync("refusee");

        Assert.Equal("Refused", (await api.GetSignupAsync(scenario.JoinerSignupId)).Text("membership"));
        Mailbox.Message outcome = await Mailbox.WaitForMessageAsync(scenario.Joiner, where: IsJoining);
        Assert.Contains("refusée", outcome.Summary.Subject, StringComparison.Ordinal);

        await page.GotoAsync(DecisionLink(scenario, "approval"));
        await Expect(page.Locator("#invalid-reason")).ToHaveTextAsync("Cette demande de rattachement a déjà été refusée.");
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task A_refused_joiner_renews_the_request_from_the_email_link_with_the_keyboard()
    {
        Scenario scenario = await JoiningRequestAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{Mailbox.ActivationToken(scenario.RequestEmail)}/refusal")).Status);
        Mailbox.Message refused = await Mailbox.WaitForMessageAsync(scenario.Joiner, where: m => m.Subject.Contains("refusée", StringComparison.Ordinal));
        var emailed = new Uri(RenewalLinkPattern().Match(refused.PlainText).Value);
        Assert.Equal("/rattachement", emailed.AbsolutePath);
        string link = new Uri(fixture.Stack.BaseUrl, emailed.PathAndQuery).ToString();
        // The stack's cool-down (2 s from the decision) is over before the page is opened.
        await Task.Delay(TimeSpan.FromSeconds(3));

        await using BrowserSession session = await fixture.NewSessionAsync(output, "rattachement-renouvele");
        IPage page = session.Page;
        await page.GotoAsync(link);
        await Expect(page.Locator("#view-renewal")).ToBeVisibleAsync();
        await Expect(page.Locator("#renew")).ToHaveTextAsync("Renouveler ma demande");
        Assert.Equal("Renouveler votre demande de rattachement – ChorusFunctions", await page.TitleAsync());
        Assert.DoesNotContain("renewal=", page.Url, StringComparison.Ordinal);
        // Opening the link filed nothing.
        Assert.Equal("Refused", (await api.GetSignupAsync(scenario.JoinerSignupId)).Text("membership"));
        await session.CheckScreenAsync("renouvellement");

        await session.TabToAsync("#renew");
        await session.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#view-renewed")).ToBeVisibleAsync();
        await Expect(page.Locator("#renewed-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#renewed-message")).ToHaveTextAsync(
            "Votre demande n° 2 (sur 3 possibles) a été transmise au gestionnaire principal de la structure.");
        await session.CheckScreenAsync("renouvelee");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('chorus.joinRenewalToken')"));

        Assert.Equal("PendingApproval", (await api.GetSignupAsync(scenario.JoinerSignupId)).Text("membership"));
        Mailbox.Message second = await Mailbox.WaitForMessageAsync(scenario.Gestionnaire, count: 2, where: IsJoining);
        Assert.Contains("demande n° 2 de cette personne", second.PlainText, StringComparison.Ordinal);
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task A_renewal_refused_by_the_cool_down_the_limit_or_a_spent_link_says_why()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "renouvellement-erreurs", new ViewportSize { Width = 390, Height = 844 });
        IPage page = session.Page;
        string token = new('C', 43);
        int posts = 0;
        await page.RouteAsync("**/api/join-requests/**", async route => await route.FulfillAsync(++posts switch
        {
            1 => Problem(429, "rate_limited", "Vous pourrez renouveler votre demande de rattachement à partir du mardi 2 décembre 2026 à 09h00 (heure de Paris)."),
            2 => Problem(409, "join_requests_exhausted", "Vous avez déjà déposé 3 demandes de rattachement à cette structure, le maximum : vous ne pouvez plus en déposer."),
            _ => Problem(410, "join_request_link_invalid", "Cette demande de rattachement a déjà été renouvelée, ou n'est plus à renouveler.",
                new Dictionary<string, object> { ["requestStatus"] = "Refused" }),
        }));

        await session.GotoAsync($"/rattachement?renewal={token}");
        await Expect(page.Locator("#view-renewal")).ToBeVisibleAsync();
        ILocator alert = page.Locator("#error-summary");

        await page.ClickAsync("#renew");
        await Expect(alert).ToBeFocusedAsync();
        await Expect(alert).ToContainTextAsync("La demande n’a pas pu être renouvelée");
        await Expect(alert).ToContainTextAsync("à partir du mardi 2 décembre 2026 à 09h00");
        await Expect(page.Locator("#renew")).ToBeEnabledAsync();
        await session.CheckScreenAsync("delai");

        await page.ClickAsync("#renew");
        await Expect(alert).ToContainTextAsync("vous ne pouvez plus en déposer");

        await page.ClickAsync("#renew");
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#invalid-title")).ToHaveTextAsync("Ce lien de renouvellement n'est plus valide");
        await Expect(page.Locator("#invalid-reason")).ToHaveTextAsync("Cette demande de rattachement a déjà été renouvelée, ou n'est plus à renouveler.");
        await Expect(page.Locator("#view-renewal")).ToBeHiddenAsync();
        await Expect(alert).ToBeHiddenAsync();
        await session.CheckScreenAsync("lien-renouvellement-invalide");
        Assert.Equal(3, posts);
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task An_unknown_or_incomplete_link_shows_that_it_is_no_longer_valid()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "rattachement-invalide");
        IPage page = session.Page;

        await session.GotoAsync("/rattachement?token=" + new string('A', 43) + "&decision=approval");
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#invalid-title")).ToHaveTextAsync("Ce lien de rattachement n'est plus valide");
        await Expect(page.Locator("#invalid-reason")).ToHaveTextAsync("Le lien est inconnu, a déjà été utilisé ou n’est plus valable.");
        await Expect(page.Locator("#invalid-detail")).ToContainTextAsync("vérifiez qu’il est complet");
        await Expect(page.Locator("#view-request")).ToBeHiddenAsync();
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        Assert.Equal("Ce lien de rattachement n'est plus valide – ChorusFunctions", await page.TitleAsync());
        await session.CheckScreenAsync("lien-invalide");

        await session.GotoAsync("/rattachement");
        await Expect(page.Locator("#invalid-title")).ToHaveTextAsync("Lien de rattachement incomplet");
        await session.AssertAccessibleAsync("lien-incomplet");
        session.AssertNoPageProblems();
    }

    /// <summary>The API answers are faked in the browser: a request, a failing decision, a lapsed request.</summary>
    [Fact]
    public async Task Problem_details_are_shown_in_an_alert_and_a_lapsed_request_is_explained()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "rattachement-erreurs", new ViewportSize { Width = 390, Height = 844 });
        IPage page = session.Page;
        string token = new('B', 43);
        var view = new
        {
            status = "Pending",
            requestedAt = DateTimeOffset.UtcNow.AddDays(-2),
            expiresAt = DateTimeOffset.UtcNow.AddDays(12).AddHours(1),
            decidedAt = (DateTimeOffset?)null,
            requester = new { lastName = "Nguyen", firstName = "<b>Minh</b>", loginEmail = "minh.nguyen@exemple.fr", contactEmail = "compta@exemple.fr" },
            structure = new { identifierType = "UE_HORS_FRANCE", identifier = "BE0417497106", companyName = "ÉTABLISSEMENTS & FILS" },
        };
        int approvals = 0, gets = 0;
        string? lapsedToken = null;
        await page.RouteAsync("**/api/join-requests/**", async route =>
        {
            string path = new Uri(route.Request.Url).AbsolutePath;
            if (lapsedToken is not null && path.Contains(lapsedToken, StringComparison.Ordinal))
            {
                await route.FulfillAsync(Problem(410, "join_request_link_invalid",
                    "Cette demande de rattachement a expiré : elle est classée sans suite.", new Dictionary<string, object> { ["requestStatus"] = "Lapsed" }));
            }
            else if (route.Request.Method == "GET" && ++gets == 1)
            {
                await route.FulfillAsync(Problem(500, "internal_error", "Une erreur inattendue est survenue. Réessayez dans quelques instants."));
            }
            else if (route.Request.Method == "GET")
            {
                await route.FulfillAsync(Json(200, view));
            }
            else if (path.EndsWith("/approval", StringComparison.Ordinal) && ++approvals == 1)
            {
                await route.FulfillAsync(Problem(503, "internal_error", "Le service rencontre une difficulté temporaire. Réessayez dans quelques instants."));
            }
            else
            {
                await route.FulfillAsync(Json(200, view with { status = "Approved", decidedAt = (DateTimeOffset?)DateTimeOffset.UtcNow }));
            }
        });

        // The request cannot be loaded at first: the problem is shown in the alert region, the link is kept, a retry works.
        await session.GotoAsync($"/rattachement?token={token}");
        await Expect(page.Locator("#view-unavailable")).ToBeVisibleAsync();
        ILocator alert = page.Locator("#error-summary");
        await Expect(alert).ToHaveAttributeAsync("role", "alert");
        await Expect(alert).ToContainTextAsync("Une erreur inattendue est survenue.");
        await session.CheckScreenAsync("indisponible");
        await page.ClickAsync("#retry");
        await Expect(page.Locator("#view-request")).ToBeVisibleAsync();
        await Expect(alert).ToBeHiddenAsync();
        await Expect(page.Locator("#request-title")).ToBeFocusedAsync();
        // API values are text, never markup.
        await Expect(page.Locator("#req-firstName")).ToHaveTextAsync("<b>Minh</b>");
        Assert.Equal(0, await page.Locator("#view-request b").CountAsync());
        await Expect(page.Locator("#str-identifier-term")).ToHaveTextAsync("Numéro de TVA intracommunautaire");
        await Expect(page.Locator("#str-identifier")).ToHaveTextAsync("BE0417497106");
        await Expect(page.Locator("#req-contactEmail")).ToHaveTextAsync("compta@exemple.fr");
        await Expect(page.Locator("#req-expiresAt")).ToContainTextAsync("dans 12 jours");
        await Expect(page.Locator("#decision-hint")).ToBeHiddenAsync();
        await session.CheckScreenAsync("demande-mobile");

        await page.ClickAsync("#approve");
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert).ToHaveAttributeAsync("role", "alert");
        await Expect(alert).ToBeFocusedAsync();
        await Expect(alert).ToContainTextAsync("La demande n’a pas pu être acceptée");
        await Expect(alert).ToContainTextAsync("Le service rencontre une difficulté temporaire.");
        await Expect(alert).ToContainTextAsync("Votre décision n’a pas été enregistrée");
        await Expect(page.Locator("#approve")).ToBeEnabledAsync();
        await Expect(page.Locator("#approve")).ToHaveTextAsync("Accepter la demande");
        await Expect(page.Locator("#view-request")).ToBeVisibleAsync();
        await session.CheckScreenAsync("erreur-service");

        await page.ClickAsync("#approve");
        await Expect(page.Locator("#view-result")).ToBeVisibleAsync();
        await Expect(alert).ToBeHiddenAsync();
        await Expect(page.Locator("#result-message")).ToHaveTextAsync(
            "La demande de rattachement de <b>Minh</b> Nguyen à la structure ÉTABLISSEMENTS & FILS a été acceptée.");
        await Expect(page.Locator("#result-informed")).ToHaveTextAsync("<b>Minh</b> Nguyen en est informé(e) par courriel (compta@exemple.fr).");
        Assert.Equal(2, approvals);
        Assert.Equal(2, gets);

        lapsedToken = new string('C', 43);
        await session.GotoAsync($"/rattachement?token={lapsedToken}");
        await Expect(page.Locator("#view-invalid")).ToBeVisibleAsync();
        await Expect(page.Locator("#invalid-reason")).ToHaveTextAsync(
            "Le délai de décision est dépassé : la demande de rattachement est classée sans suite.");
        await session.CheckScreenAsync("demande-expiree");
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task The_joining_request_page_never_sends_its_token_in_a_referrer()
    {
        foreach (string path in new[] { "/rattachement?token=abc&decision=approval", "/rattachement.html?token=abc" })
        {
            using HttpResponseMessage response = await fixture.Stack.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-referrer", string.Join(' ', response.Headers.GetValues("Referrer-Policy")));
            Assert.Contains("script-src 'self'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
            string html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<h1>Demande de rattachement à une structure</h1>", html, StringComparison.Ordinal);
            Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", html, StringComparison.Ordinal);
        }

        string config = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src", "ChorusWeb", "staticwebapp.config.json"));
        using var json = JsonDocument.Parse(config);
        JsonElement route = json.RootElement.GetProperty("routes").EnumerateArray().First(r => r.GetProperty("route").GetString() == "/rattachement");
        Assert.Equal("/rattachement.html", route.GetProperty("rewrite").GetString());
        Assert.Equal("no-referrer", route.GetProperty("headers").GetProperty("Referrer-Policy").GetString());
        Assert.Contains("/rattachement", json.RootElement.GetProperty("navigationFallback").GetProperty("exclude").EnumerateArray().Select(e => e.GetString()));
    }

    static RouteFulfillOptions Json(int status, object body) => new()
    {
        Status = status,
        ContentType = "application/json; charset=utf-8",
        Body = JsonSerializer.Serialize(body, JsonSerializerOptions.Web),
    };

    static RouteFulfillOptions Problem(int status, string code, string detail, Dictionary<string, object>? extensions = null)
    {
        var body = new Dictionary<string, object> { ["title"] = "Erreur", ["status"] = status, ["code"] = code, ["detail"] = detail };
        foreach ((string key, object value) in extensions ?? [])
        {
            body[key] = value;
        }

        return new RouteFulfillOptions
        {
            Status = status,
            ContentType = "application/problem+json; charset=utf-8",
            Body = JsonSerializer.Serialize(body),
        };
    }
}
