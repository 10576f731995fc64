using ChorusFunctions.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>
/// One local stack (Azurite, smtp4dev, local host serving <c>src/ChorusWeb</c>) and one headless Debian Chromium
/// driven by Playwright, shared by the browser tests. A browser is never downloaded.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    IPlaywright? playwright;

    public LocalStack Stack { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>axe-core, injected into pages from the repository's node_modules.</summary>
    public string AxeSource { get; private set; } = "";

    /// <summary>Screenshots of every screen, under the test output.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "browser-screenshots");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        string chromium = Environment.GetEnvironmentVariable("CHORUS_CHROMIUM") is { Length: > 0 } custom ? custom : DefaultChromium;
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {chromium}: install Debian's package (apt-get install -y chromium). The browser tests never download a browser.");
        }

        string axe = Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(axe))
        {
            throw new InvalidOperationException($"axe-core is missing ({axe}): run `npm ci` at the repository root.");
        }

        AxeSource = await File.ReadAllTextAsync(axe);
        Directory.CreateDirectory(ScreenshotDirectory);
        Assertions.SetDefaultExpectTimeout(20_000);

        Stack = await LocalStack.StartAsync(new Dictionary<string, string?>
        {
            // Always the site's sources, whatever was last copied to the host's output.
            ["LocalHost:WebRoot"] = Path.Combine(RepositoryRoot.Path, "src", "ChorusWeb"),
        });
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// A fresh browser context (own session storage) in French, on the shared local stack or on
    /// <paramref name="stack"/> (a test's own, with other settings: see <see cref="StartStackAsync"/>).
    /// </summary>
    public Task<BrowserSession> NewSessionAsync(ITestOutputHelper output, string testName, ViewportSize? viewport = null, LocalStack? stack = null) =>
        BrowserSession.StartAsync(this, stack ?? Stack, output, testName, viewport ?? new ViewportSize { Width = 1280, Height = 900 });

    /// <summary>A local stack of its own serving the site's sources, for a test that needs other settings (the captcha on…).</summary>
    public static Task<LocalStack> StartStackAsync(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings) { ["LocalHost:WebRoot"] = Path.Combine(RepositoryRoot.Path, "src", "ChorusWeb") };
        return LocalStack.StartAsync(all);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
