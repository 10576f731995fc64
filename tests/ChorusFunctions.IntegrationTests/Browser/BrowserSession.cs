using System.Text.Json;
using System.Text.RegularExpressions;
using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>
/// One test's browser context and page, with what every screen is checked for: no Content-Security-Policy
/// violation, no script error, zero serious or critical axe-core violation; and a screenshot per screen.
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    // Reports CSP violations through a binding (bindings are not subject to the page's CSP).
    const string CspProbe = """
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__chorusCsp && window.__chorusCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile || document.location.pathname}`);
        });
        """;

    const string AxeRun = """
        async () => {
          const result = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          });
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact || 'unknown',
            help: v.help,
            targets: v.nodes.map((n) => n.target.join(' ')),
          }));
        }
        """;

    readonly BrowserFixture fixture;
    readonly LocalStack stack;
    readonly ITestOutputHelper output;
    readonly string testName;
    readonly IBrowserContext context;
    readonly List<string> cspViolations = [];
    readonly List<string> scriptErrors = [];
    int screenshotCount;

    BrowserSession(BrowserFixture fixture, LocalStack stack, ITestOutputHelper output, string testName, IBrowserContext context, IPage page)
    {
        this.fixture = fixture;
        this.stack = stack;
        this.output = output;
        this.testName = testName;
        this.context = context;
        Page = page;
    }

    public IPage Page { get; }

    public LocalStack Stack => stack;

    public Uri BaseUrl => stack.BaseUrl;

    public IKeyboard Keyboard => Page.Keyboard;

    internal static async Task<BrowserSession> StartAsync(BrowserFixture fixture, LocalStack stack, ITestOutputHelper output, string testName, ViewportSize viewport)
    {
        IBrowserContext context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "fr-FR",
            ViewportSize = viewport,
            BaseURL = stack.BaseUrl.ToString(),
        });
        context.SetDefaultTimeout(20_000);
        IPage page = await context.NewPageAsync();
        var session = new BrowserSession(fixture, stack, output, testName, context, page);
        await context.ExposeFunctionAsync("__chorusCsp", (string violation) =>
        {
            lock (session.cspViolations)
            {
                session.cspViolations.Add(violation);
            }
        });
        await context.AddInitScriptAsync(CspProbe);
        page.PageError += (_, error) =>
        {
            lock (session.scriptErrors)
            {
                session.scriptErrors.Add(error);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                output.WriteLine($"[console {message.Type}] {message.Text}");
            }
        };
        return session;
    }

    public Task GotoAsync(string relative) => Page.GotoAsync(new Uri(BaseUrl, relative).ToString());

    public ILocator Locator(string selector) => Page.Locator(selector);

    /// <summary>Saves a full-page screenshot under the test output.</summary>
    public async Task ScreenshotAsync(string screen)
    {
        screenshotCount++;
        string file = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{testName}-{screenshotCount:D2}-{screen}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        output.WriteLine($"screenshot: {file}");
    }

    /// <summary>Runs axe-core on the current screen; fails on any serious or critical violation.</summary>
    public async Task AssertAccessibleAsync(string screen)
    {
        await Page.EvaluateAsync(fixture.AxeSource);
        JsonElement violations = await Page.EvaluateAsync<JsonElement>(AxeRun);
        var serious = new List<string>();
        foreach (JsonElement violation in violations.EnumerateArray())
        {
            string impact = violation.GetProperty("impact").GetString()!;
            string line = $"axe [{screen}] {impact} {violation.GetProperty("id").GetString()}: {violation.GetProperty("help").GetString()} — "
                + string.Join(" | ", violation.GetProperty("targets").EnumerateArray().Select(t => t.GetString()));
            output.WriteLine(line);
            if (impact is "serious" or "critical")
            {
                serious.Add(line);
            }
        }

        Assert.True(serious.Count == 0, $"axe-core found serious or critical violations on {screen}:\n" + string.Join('\n', serious));
    }

    /// <summary>Screenshot, then accessibility scan.</summary>
    public async Task CheckScreenAsync(string screen)
    {
        await ScreenshotAsync(screen);
        await AssertAccessibleAsync(screen);
    }

    /// <summary>No CSP violation and no uncaught script error happened during the test.</summary>
    public void AssertNoPageProblems()
    {
        lock (cspViolations)
        {
            Assert.True(cspViolations.Count == 0, "Content-Security-Policy violations:\n" + string.Join('\n', cspViolations));
        }

        lock (scriptErrors)
        {
            Assert.True(scriptErrors.Count == 0, "Script errors:\n" + string.Join('\n', scriptErrors));
        }
    }

    /// <summary>The id of the focused element.</summary>
    public Task<string> FocusedIdAsync() => Page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.id : ''");

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus (keyboard reachability).</summary>
    public async Task TabToAsync(string selector, int maxPresses = 120)
    {
        for (int i = 0; i < maxPresses; i++)
        {
            if (await Page.EvaluateAsync<bool>("s => !!document.activeElement && document.activeElement.matches(s)", selector))
            {
                return;
            }

            await Keyboard.PressAsync("Tab");
        }

        string focused = await Page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 160) : ''");
        Assert.Fail($"{selector} cannot be reached with the Tab key (focus stays on {focused}).");
    }

    /// <summary>
    /// Waits for the activation email number <paramref name="count"/> to <paramref name="email"/> in smtp4dev and
    /// returns its link, pointed at this stack (the test stack's email links name a placeholder host).
    /// </summary>
    /// <summary>
    /// The signup started in this browser, as the API sees it: read with this browser's cookies (the signup's cookie
    /// is the only way to it), the way its pages read it.
    /// </summary>
    public async Task<System.Text.Json.JsonElement> SignupAsync(string signupId)
    {
        IAPIResponse response = await Page.APIRequest.GetAsync(new Uri(BaseUrl, $"api/signups/{signupId}").ToString());
        Assert.True(response.Ok, $"GET api/signups/{signupId} from the browser: {response.Status} {await response.TextAsync()}");
        return (await response.JsonAsync())!.Value;
    }

    public async Task<string> ActivationLinkAsync(string email, int count = 1)
    {
        Mailbox.Message message = await Stack.Mailbox.WaitForMessageAsync(email, count);
        Match match = LinkPattern().Match(message.PlainText);
        Assert.True(match.Success, "No activation link in the email:\n" + message.PlainText);
        var link = new Uri(match.Value);
        Assert.Equal("/activation", link.AbsolutePath);
        Assert.StartsWith("?token=", link.Query, StringComparison.Ordinal);
        return new Uri(BaseUrl, link.PathAndQuery).ToString();
    }

    [GeneratedRegex(@"https?://[^\s""'<>]+/activation\?token=[A-Za-z0-9_%\-]+")]
    private static partial Regex LinkPattern();

    public async ValueTask DisposeAsync()
    {
        await context.CloseAsync();
    }
}
