using ChorusFunctions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.Testing;

/// <summary>
/// The local stack for integration tests: a real Azurite, a real smtp4dev and the local host running in this
/// process on a free port, with its own task hub. Settings can be overridden per stack (short deadlines…).
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    public const string TestTokenKey = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMDEyMzQ1Njc4OQ==";

    readonly Dictionary<string, string?> settings;
    WebApplication? app;

    LocalStack(Azurite azurite, Mailbox mailbox, Dictionary<string, string?> settings)
    {
        Azurite = azurite;
        Mailbox = mailbox;
        this.settings = settings;
    }

    public Azurite Azurite { get; }

    public Mailbox Mailbox { get; }

    public CapturedLogs Logs { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Sends back the cookies the API set (a signup's), like a browser; requests with a Cookie header of their own keep it.</summary>
    public HttpClient Http { get; private set; } = null!;

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> cookies = new(StringComparer.Ordinal);

    public IServiceProvider Services => app!.Services;

    public static async Task<LocalStack> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        Azurite azurite = await Azurite.SharedAsync();
        Mailbox mailbox = await Mailbox.SharedAsync();
        // The port is chosen up front so the links in the emails point at this very host, and a restart keeps it. An
        // outgoing connection may take a port between its choice and the bind: then another port is chosen.
        for (int attempt = 1; ; attempt++)
        {
            var stack = new LocalStack(azurite, mailbox, Settings(FreePort.Next(), azurite, mailbox, overrides));
            try
            {
                await stack.StartHostAsync();
                return stack;
            }
            catch (IOException ex) when (attempt < 3 && ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await stack.DisposeAsync();
            }
        }
    }

    static Dictionary<string, string?> Settings(int port, Azurite azurite, Mailbox mailbox, IDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Durable:TaskHub"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["Security:TokenKey"] = TestTokenKey,
            // Rate counters and locks live in tables shared by every stack of a test run: a key of its own keeps
            // this stack's counters apart from the others'.
            ["Security:AuditKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Captcha:Provider"] = "None",
            ["Email:Provider"] = "Smtp",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = mailbox.SmtpPort.ToString(),
            ["Email:ActivationUrlBase"] = $"http://127.0.0.1:{port}/activation",
            ["Email:PortalUrl"] = $"http://127.0.0.1:{port}/",
            ["Structures:JoinRequestUrlBase"] = $"http://127.0.0.1:{port}/rattachement",
            ["Signup:EmailFirstRetryInterval"] = "00:00:00.200",
            // A refused or lapsed requester may ask again 2 s after the decision: the cool-down is seen, briefly.
            ["Structures:JoinRequestCoolDown"] = "00:00:02",
            // The cleanup runs when a test asks for it, not on a schedule racing the test.
            ["Cleanup:Schedule"] = "0 0 0 1 1 *",
            ["Logging:LogLevel:DurableTask.AzureStorage"] = "Information",
            ["Logging:LogLevel:Microsoft.DurableTask"] = "Information",
        };
        foreach ((string key, string? value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    async Task StartHostAsync()
    {
        // The environment must be chosen when the builder is created (setting it in the callback is not seen by
        // IHostEnvironment); Captcha__Provider=None is refused outside Development.
        app = LocalHostApplication.Build(["--environment", "Development"], builder =>
        {
            builder.Environment.EnvironmentName = "Development";
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls(settings["Urls"]!);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(Logs);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        // The cookies outlive a restart of the host, as a browser's would.
        Http = new HttpClient(new SignupCookieJar(new HttpClientHandler { UseCookies = false }, cookies)) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Waits for an email through this stack's mailbox; on a timeout, says what the host logged meanwhile.</summary>
    public async Task<Mailbox.Message> WaitForEmailAsync(string to, int count = 1, TimeSpan? timeout = null, Func<Mailbox.MessageSummary, bool>? where = null)
    {
        try
        {
            return await Mailbox.WaitForMessageAsync(to, count, timeout, where);
        }
        catch (TimeoutException ex)
        {
            string[] recent = Logs.Lines.Where(l => !l.Contains("No new messages were found", StringComparison.Ordinal)).TakeLast(120).ToArray();
            throw new TimeoutException(ex.Message + " Recent host logs:\n" + string.Join("\n", recent), ex);
        }
    }

    /// <summary>Stops the local host and starts a new one on the same storage and task hub, as a redeployment would.</summary>
    public async Task RestartAsync()
    {
        await StopHostAsync();
        await StartHostAsync();
    }

    async Task StopHostAsync()
    {
        Http?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopHostAsync());
}
