using System.Net;
using System.Security.Cryptography;
using Azure.Data.Tables;
using ChorusFunctions.Joining;
using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ChorusFunctions.Tests.Security;

/// <summary>When Table Storage cannot count or hold a lock, the lockout becomes stricter, never absent.</summary>
public sealed class LockoutFallbackTests
{
    sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    sealed class Production : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [Fact]
    public void The_in_process_limit_is_a_quarter_of_the_rule_and_its_lock_lapses()
    {
        var clock = new Clock();
        var local = new LocalLockout(clock);
        TimeSpan window = TimeSpan.FromMinutes(15);
        for (int i = 0; i < 4; i++)
        {
            Assert.False(local.CountAndLock("lock-client", "a", 20, window, TimeSpan.FromMinutes(15)));
        }

        Assert.Null(local.HeldUntil("lock-client", "a"));
        Assert.True(local.CountAndLock("lock-client", "a", 20, window, TimeSpan.FromMinutes(15)));
        Assert.Equal(clock.Now.AddMinutes(15), local.HeldUntil("lock-client", "a"));
        Assert.Null(local.HeldUntil("lock-client", "b"));
        Assert.Null(local.HeldUntil("lock-signup", "a"));

        clock.Now = clock.Now.AddMinutes(15).AddSeconds(1);
        Assert.Null(local.HeldUntil("lock-client", "a"));

        // A rule below the divisor still allows one; a new window starts a new count.
        Assert.True(local.CountAndLock("lock-signup", "s", 3, window, TimeSpan.FromMinutes(1)));
        Assert.Equal(1, LocalLockout.LimitOf(3));
        Assert.Equal(5, LocalLockout.LimitOf(20));
    }

    [Fact]
    public async Task Unknown_links_lock_the_client_in_process_while_storage_is_down_and_only_that_client()
    {
        await using ServiceProvider services = GuardWithUnreachableStorage(maxUnknownTokens: 8);
        RequestGuard guard = services.GetRequiredService<RequestGuard>();
        ApiProblem unknown = new() { Title = "Lien de rattachement invalide", Status = 410, Code = ErrorCodes.JoinRequestLinkInvalid, Detail = "Ce lien n'est pas valide." };
        Task<Outcome<string>> Decide(string address) =>
            guard.RunAsync(nameof(GetJoinRequest), Request(address), new(Token: RandomToken()), () => Task.FromResult<Outcome<string>>(unknown), CancellationToken.None);

        // The shared rule allows 8; without storage a quarter of it (2) locks the client out.
        Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await Decide("203.0.113.7")).Problem?.Code);
        Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await Decide("203.0.113.7")).Problem?.Code);
        ApiProblem? locked = (await Decide("203.0.113.7")).Problem;
        Assert.Equal(ErrorCodes.ActivationLocked, locked?.Code);
        Assert.InRange(locked!.RetryAfterSeconds ?? 0, 800, 900);

        Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await Decide("198.51.100.9")).Problem?.Code);

        // A link that matches a request still works from the locked client.
        Outcome<string> known = await guard.RunAsync(nameof(GetJoinRequest), Request("203.0.113.7"), new(Token: RandomToken()), () => Task.FromResult<Outcome<string>>("ok"), CancellationToken.None);
        Assert.Equal("ok", known.Value);
    }

    static HttpRequest Request(string address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context.Request;
    }

    static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The real guard pipeline, its stores pointed at a port where nothing listens (no retries: each call fails at once).</summary>
    static ServiceProvider GuardWithUnreachableStorage(int maxUnknownTokens)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:TokenKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["RateLimits:Enabled"] = "false",
            ["Lockout:MaxUnknownTokens"] = maxUnknownTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        string connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"TableEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;";

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new Production());
        services.AddChorusFunctions(configuration);
        services.AddSingleton(new TableServiceClient(connection, options));
        return services.BuildServiceProvider();
    }
}
