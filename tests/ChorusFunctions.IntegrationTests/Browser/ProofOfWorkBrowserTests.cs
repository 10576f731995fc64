using System.Text.Json;
using System.Text.Json.Nodes;
using ChorusFunctions.IntegrationTests.Security;
using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>
/// Step 1 with the captcha on: the browser solves the proof of work in a Web Worker, with the keyboard alone, and
/// says so politely; an expired or already used challenge, or a browser without Web Workers, gives a French
/// message and the same "Suivant" as the way on.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProofOfWorkBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    const string Working = "Vérification automatique de votre navigateur en cours";
    const string Refused = "a expiré ou a déjà servi. Cliquez de nouveau sur «\u00a0Suivant\u00a0»";

    LocalStack stack = null!;

    public async Task InitializeAsync() =>
        stack = await BrowserFixture.StartStackAsync(new Dictionary<string, string?>
        {
            ["Captcha:Provider"] = "Image",
            ["Security:AuditKey"] = SecurityStack.NewKey(),
            ["ProofOfWork:Lifetime"] = "00:00:15",
        });

    public async Task DisposeAsync() => await stack.DisposeAsync();

    /// <summary>Records every text #page-status takes, so a short announcement is not missed.</summary>
    static Task ListenToAnnouncementsAsync(IPage page) => page.EvaluateAsync(
        "() => { window.__announced = []; new MutationObserver(() => window.__announced.push(document.querySelector('#page-status').textContent))" +
        ".observe(document.querySelector('#page-status'), { childList: true, characterData: true, subtree: true }); }");

    static async Task FillStepOneAsync(BrowserSession session, string email)
    {
        await session.GotoAsync("/");
        await Expect(session.Page.Locator("#step-1")).ToBeVisibleAsync();
        await session.TabToAsync("#loginEmail");
        await session.Keyboard.TypeAsync(email);
        await session.TabToAsync("#identifier");
        await session.Keyboard.TypeAsync(Sirets.NewValid());
    }

    /// <summary>Presses Enter on "Suivant" and returns step 1's request.</summary>
    static async Task<IRequest> SubmitAsync(BrowserSession session)
    {
        await session.TabToAsync("#identify-submit");
        return await session.Page.RunAndWaitForRequestAsync(
            () => session.Keyboard.PressAsync("Enter"),
            r => r.Method == "POST" && r.Url.EndsWith("/api/signups", StringComparison.Ordinal),
            new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task Step_one_with_the_captcha_on_goes_through_the_proof_of_work_with_the_keyboard_alone()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "pow-keyboard", stack: stack);
        IPage page = session.Page;
        await FillStepOneAsync(session, Sirets.NewEmail("pow"));
        await Expect(page.Locator("#identify-submit")).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("vérification automatique contre les robots"));
        await session.CheckScreenAsync("1-preuve-de-travail");
        await ListenToAnnouncementsAsync(page);

        IRequest posted = await SubmitAsync(session);
        JsonObject proof = JsonNode.Parse(posted.PostData!)!["proofOfWork"]!.AsObject();
        Assert.Equal("SHA-256", proof["algorithm"]!.GetValue<string>());
        Assert.InRange(proof["number"]!.GetValue<long>(), 0, 60_000);

        await Expect(page.Locator("#step-2")).ToBeVisibleAsync();
        await Expect(page.Locator("#step-2-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#page-status")).ToHaveAttributeAsync("role", "status");
        string[] announced = await page.EvaluateAsync<string[]>("() => window.__announced");
        Assert.Contains(announced, a => a.StartsWith(Working, StringComparison.Ordinal));
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task An_already_used_challenge_gives_a_french_message_and_suivant_again_goes_through_with_the_same_key()
    {
        var api = new ApiClient(stack);
        ApiClient.Response issued = await api.SendAsync(HttpMethod.Get, "api/proof-of-work");
        JsonObject solution = ApiClient.SolveProofOfWork(issued.Body!.AsObject());
        ApiClient.Response used = await api.SendAsync(HttpMethod.Post, "api/signups",
            new { loginEmail = SecurityStack.Email("pow-first"), identifierType = "SIRET", identifier = Sirets.NewValid(), proofOfWork = solution });
        Assert.Equal(System.Net.HttpStatusCode.Created, used.Status);

        await using BrowserSession session = await fixture.NewSessionAsync(output, "pow-reused", stack: stack);
        IPage page = session.Page;
        await page.RouteAsync("**/api/proof-of-work", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = issued.Body.ToJsonString() }));
        await FillStepOneAsync(session, Sirets.NewEmail("pow-reused"));
        IRequest refused = await SubmitAsync(session);

        await Expect(page.Locator("#error-summary")).ToBeVisibleAsync();
        await Expect(page.Locator("#error-summary")).ToContainTextAsync(Refused);
        await Expect(page.Locator("#step-1")).ToBeVisibleAsync();
        await session.CheckScreenAsync("1-preuve-de-travail-refusee");

        await page.UnrouteAsync("**/api/proof-of-work");
        IRequest retried = await SubmitAsync(session);
        await Expect(page.Locator("#step-2-title")).ToBeFocusedAsync();
        Assert.Equal(await refused.HeaderValueAsync("idempotency-key"), await retried.HeaderValueAsync("idempotency-key"));
        Assert.NotEqual(solution["challenge"]!.GetValue<string>(), JsonNode.Parse(retried.PostData!)!["proofOfWork"]!["challenge"]!.GetValue<string>());
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task An_expired_challenge_gives_a_french_message_and_suivant_again_goes_through()
    {
        var api = new ApiClient(stack);
        ApiClient.Response issued = await api.SendAsync(HttpMethod.Get, "api/proof-of-work");
        DateTimeOffset expiresAt = DateTimeOffset.Parse(issued.Text("expiresAt"), System.Globalization.CultureInfo.InvariantCulture);

        await using BrowserSession session = await fixture.NewSessionAsync(output, "pow-expired", stack: stack);
        IPage page = session.Page;
        await page.RouteAsync("**/api/proof-of-work", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = issued.Body!.ToJsonString() }));
        await FillStepOneAsync(session, Sirets.NewEmail("pow-expired"));
        TimeSpan wait = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await SubmitAsync(session);
        await Expect(page.Locator("#error-summary")).ToContainTextAsync(Refused);

        await page.UnrouteAsync("**/api/proof-of-work");
        await SubmitAsync(session);
        await Expect(page.Locator("#step-2-title")).ToBeFocusedAsync();
        session.AssertNoPageProblems();
    }

    [Fact]
    public async Task Without_web_workers_the_page_says_what_to_do_and_sends_nothing()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "pow-unsupported", stack: stack);
        IPage page = session.Page;
        await page.AddInitScriptAsync("delete window.Worker;");
        var posts = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Method == "POST" && r.Url.EndsWith("/api/signups", StringComparison.Ordinal))
            {
                posts.Add(r.Url);
            }
        };
        await FillStepOneAsync(session, Sirets.NewEmail("pow-noworker"));
        await session.TabToAsync("#identify-submit");
        await session.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#error-summary")).ToContainTextAsync("Votre navigateur ne permet pas la vérification automatique");
        await Expect(page.Locator("#error-summary")).ToContainTextAsync("«\u00a0https://\u00a0»");
        await Expect(page.Locator("#identify-submit")).ToBeEnabledAsync();
        await session.CheckScreenAsync("1-preuve-de-travail-impossible");
        Assert.Empty(posts);
        session.AssertNoPageProblems();
    }
}
