using System.Net.Http.Json;
using System.Text.Json;
using ChorusFunctions.IntegrationTests.Security;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Signup;
using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>
/// Step 2 with the captcha on, as a person who cannot see the image gets through it: with the keyboard alone,
/// they ask for a question instead, hear it with the answer field, answer it, and step 2 is accepted.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CaptchaBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    LocalStack stack = null!;
    CaptchaSolver solver = null!;

    public async Task InitializeAsync()
    {
        stack = await BrowserFixture.StartStackAsync(new Dictionary<string, string?>
        {
            ["Captcha:Provider"] = "Image",
            ["Security:AuditKey"] = SecurityStack.NewKey(),
        });
        solver = new CaptchaSolver(stack);
    }

    public async Task DisposeAsync()
    {
        solver.Dispose();
        await stack.DisposeAsync();
    }

    [Fact]
    public async Task The_text_question_replaces_the_image_with_the_keyboard_alone_and_step_two_is_accepted()
    {
        await using BrowserSession session = await fixture.NewSessionAsync(output, "captcha-question", stack: stack);
        IPage page = session.Page;
        IKeyboard keys = session.Keyboard;
        string email = Sirets.NewEmail("question");

        await session.GotoAsync("/");
        await Expect(page.Locator("#step-1")).ToBeVisibleAsync();
        await session.TabToAsync("#loginEmail");
        await keys.TypeAsync(email);
        await session.TabToAsync("#identifier");
        await keys.TypeAsync(Sirets.NewValid());
        await keys.PressAsync("Enter");

        // Step 2 shows the image, and next to it the way out for who cannot read it.
        await Expect(page.Locator("#step-2-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#captcha-image")).ToBeVisibleAsync();
        await Expect(page.Locator("#captcha-image")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png;base64,"));
        await Expect(page.Locator("#captcha-question")).ToBeHiddenAsync();
        await Expect(page.Locator("#captcha-switch")).ToHaveTextAsync("Je ne peux pas lire l'image : recevoir une question");
        await Expect(page.Locator("#captcha-refresh")).ToHaveTextAsync("Nouvelle image");
        await session.CheckScreenAsync("2-image");
        await session.TabToAsync("#loginEmailConfirmation");
        await keys.TypeAsync(email);
        await session.TabToAsync("#lastName");
        await keys.TypeAsync("Aveugle");
        await session.TabToAsync("#firstName");
        await keys.TypeAsync("Louis");

        // "Je ne peux pas lire l'image": the question replaces it, is announced, and the focus goes to the answer.
        await session.TabToAsync("#captcha-switch");
        string question = await QuestionAfterAsync(page, () => keys.PressAsync("Enter"));
        await Expect(page.Locator("#captcha-question")).ToBeVisibleAsync();
        await Expect(page.Locator("#captcha-question")).ToHaveTextAsync(question);
        await Expect(page.Locator("#captcha-image")).ToBeHiddenAsync();
        await Expect(page.Locator("#captchaAnswer")).ToBeFocusedAsync();
        await Expect(page.Locator("label[for=captchaAnswer]")).ToContainTextAsync("Répondez à la question");
        await Expect(page.Locator("#captchaAnswer")).ToHaveAttributeAsync("aria-describedby", new System.Text.RegularExpressions.Regex("^captcha-question( |$)"));
        await Expect(page.Locator("#captchaAnswer")).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(question)));
        await Expect(page.Locator("#page-status")).ToHaveTextAsync("Une question remplace l’image.");
        await Expect(page.Locator("#page-status")).ToHaveAttributeAsync("role", "status");
        await Expect(page.Locator("#captcha-switch")).ToHaveTextAsync("Revenir à l'image");
        await Expect(page.Locator("#captcha-refresh")).ToHaveTextAsync("Nouvelle question");
        await session.CheckScreenAsync("2-question-texte");

        // "Nouvelle question": another one, read out; the focus stays on the button.
        await ShiftTabToAsync(page, "#captcha-refresh");
        string second = await QuestionAfterAsync(page, () => keys.PressAsync("Enter"));
        await Expect(page.Locator("#captcha-question")).ToHaveTextAsync(second);
        await Expect(page.Locator("#page-status")).ToHaveTextAsync("Nouvelle question : " + second);
        await Expect(page.Locator("#captcha-refresh")).ToBeFocusedAsync();

        // Back to the image, and to the question again.
        await session.TabToAsync("#captcha-switch");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#captcha-image")).ToBeVisibleAsync();
        await Expect(page.Locator("#captcha-question")).ToBeHiddenAsync();
        await Expect(page.Locator("#captchaAnswer")).ToBeFocusedAsync();
        await Expect(page.Locator("label[for=captchaAnswer]")).ToContainTextAsync("Entrez les caractères générés par l'image");
        Assert.DoesNotContain("captcha-question", await page.Locator("#captchaAnswer").GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        await ShiftTabToAsync(page, "#captcha-switch");
        string answered = await QuestionAfterAsync(page, () => keys.PressAsync("Enter"));
        await Expect(page.Locator("#captchaAnswer")).ToBeFocusedAsync();

        // The structure (unknown SIRET), then a wrong answer: refused on the captcha field, a new question comes.
        await session.TabToAsync("#s-companyName");
        await keys.TypeAsync("LES MOTS ET LES CHOSES");
        await session.TabToAsync("#s-address");
        await keys.TypeAsync("5 RUE DU BRAILLE");
        await session.TabToAsync("#s-postalCode");
        await keys.TypeAsync("75005");
        await session.TabToAsync("#s-city");
        await keys.TypeAsync("PARIS");
        await ShiftTabToAsync(page, "#captchaAnswer");
        await keys.TypeAsync(Wrong(solver.AnswerOf(Id(answered))));
        await session.TabToAsync("#details-submit");
        string retry = await QuestionAfterAsync(page, () => keys.PressAsync("Enter"));
        await Expect(page.Locator("#captchaAnswer")).ToBeFocusedAsync();
        await Expect(page.Locator("#captchaAnswer")).ToHaveValueAsync("");
        await Expect(page.Locator("#captcha-question")).ToHaveTextAsync(retry);
        await new SignupScreens(session).ExpectFieldErrorAsync("captchaAnswer", SignupService.CaptchaRefusedMessage);
        await session.CheckScreenAsync("2-question-refusee");

        // The right answer, typed as a person would (a number in words, a word in capitals): step 2 is accepted.
        await keys.TypeAsync(AsTyped(solver.AnswerOf(Id(retry))));
        await session.TabToAsync("#details-submit");
        await keys.PressAsync("Enter");
        await Expect(page.Locator("#step-3")).ToBeVisibleAsync();
        await Expect(page.Locator("#step-3-title")).ToBeFocusedAsync();

        string signupId = await page.EvaluateAsync<string>("() => sessionStorage.getItem('chorus.signupId')");
        JsonElement signup = await session.SignupAsync(signupId);
        Assert.Equal("AwaitingWorkspaces", signup.GetProperty("status").GetString());
        session.AssertNoPageProblems();
    }

    /// <summary>The latest question shown, as "id|question", after <paramref name="action"/> asked for it.</summary>
    async Task<string> QuestionAfterAsync(IPage page, Func<Task> action)
    {
        IResponse response = await page.RunAndWaitForResponseAsync(action, r => r.Url.Contains("/api/captcha?kind=text", StringComparison.Ordinal));
        JsonElement body = await response.JsonAsync() ?? throw new InvalidOperationException("no captcha body");
        string id = body.GetProperty("id").GetString()!;
        string question = body.GetProperty("question").GetString()!;
        lastIds[question] = id;
        output.WriteLine($"question: {question} → {solver.AnswerOf(id)}");
        return question;
    }

    readonly Dictionary<string, string> lastIds = new(StringComparer.Ordinal);

    string Id(string question) => lastIds[question];

    static string Wrong(string answer) => int.TryParse(answer, out int n) ? (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : answer + "x";

    static string AsTyped(string answer) => int.TryParse(answer, out int n) ? FrenchNumbers.ToWords(n) : answer.ToUpperInvariant();

    /// <summary>Presses Shift+Tab until <paramref name="selector"/> has the focus (going back in the form).</summary>
    static async Task ShiftTabToAsync(IPage page, string selector, int maxPresses = 60)
    {
        for (int i = 0; i < maxPresses; i++)
        {
            if (await page.EvaluateAsync<bool>("s => !!document.activeElement && document.activeElement.matches(s)", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Shift+Tab");
        }

        Assert.Fail($"{selector} cannot be reached with Shift+Tab.");
    }
}
