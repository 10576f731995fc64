using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Storage;
using ChorusFunctions.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Security;

/// <summary>A free share per instance, then permits taken a few at a time from the shared counter: fewer storage requests, never a looser limit.</summary>
public sealed class RateLeaseTests
{
    [Fact]
    public async Task Two_instances_together_never_allow_more_than_the_limit_and_most_calls_cost_no_request()
    {
        const int limit = 64; // two instances: a free share of 8 each, 48 shared in leases of 3
        await using var test = await ThrottleTest.StartAsync(limit, instances: 2);

        // One instance alone: its free share at no request, then the shared part at about two requests per lease. The
        // other instance's free share is kept back: alone, it allows a little less than the limit, never more.
        using (RequestThrottle alone = test.Instance())
        {
            for (int i = 0; i < 8; i++)
            {
                Assert.Null(await alone.CheckAsync(RatePolicy.CaptchaPerIp, test.Client, default));
            }

            Assert.Equal(0, test.Requests.Count);
            for (int i = 8; i < limit - 8; i++)
            {
                Assert.Null(await alone.CheckAsync(RatePolicy.CaptchaPerIp, test.Client, default));
            }

            Assert.Equal(429, (await alone.CheckAsync(RatePolicy.CaptchaPerIp, test.Client, default))?.Status);
            Assert.InRange(test.Requests.Count, 48 / 3, (48 / 3 * 2) + 2);
            test.Requests.Count = 0;
            Assert.NotNull(await alone.CheckAsync(RatePolicy.CaptchaPerIp, test.Client, default));
            Assert.Equal(0, test.Requests.Count); // a limit reached is remembered until the window ends
        }

        // Many requests at once on one instance: their takes add up, none is refused below what it may allow.
        using (RequestThrottle busy = test.Instance())
        {
            string crowd = test.Client + "-crowd";
            ApiProblem?[] answers = await Task.WhenAll(Enumerable.Range(0, limit / 2).Select(_ => busy.CheckAsync(RatePolicy.CaptchaPerIp, crowd, default)));
            Assert.All(answers, Assert.Null);
            for (int i = limit / 2; i < limit - 8; i++)
            {
                Assert.Null(await busy.CheckAsync(RatePolicy.CaptchaPerIp, crowd, default));
            }

            Assert.NotNull(await busy.CheckAsync(RatePolicy.CaptchaPerIp, crowd, default));
        }

        // Two instances taking turns: never more than the limit; their unspent leases make them stricter, a little.
        string other = test.Client + "-2";
        using RequestThrottle first = test.Instance(), second = test.Instance();
        int allowed = 0;
        for (int i = 0; i < 2 * limit; i++)
        {
            allowed += await (i % 2 == 0 ? first : second).CheckAsync(RatePolicy.CaptchaPerIp, other, default) is null ? 1 : 0;
        }

        Assert.InRange(allowed, limit - (2 * 2), limit);
    }

    [Fact]
    public async Task As_many_instances_as_the_setting_allow_the_limit_and_no_more_even_when_each_spends_only_its_free_share()
    {
        const int limit = 48, instances = 3; // free shares of 4, 36 shared
        await using var test = await ThrottleTest.StartAsync(limit, instances);
        RequestThrottle[] all = [.. Enumerable.Range(0, instances).Select(_ => test.Instance())];
        try
        {
            // Each instance's first requests: its free share, and not one storage request for any of them.
            foreach (RequestThrottle instance in all)
            {
                for (int i = 0; i < 4; i++)
                {
                    Assert.Null(await instance.CheckAsync(RatePolicy.CaptchaPerIp, test.Client, default));
                }
            }

            Assert.Equal(0, test.Requests.Count);

            // Then all of them from the shared counter, round after round, until every one refuses.
            int allowed = 3 * 4;
            for (int round = 0; round < limit; round++)
            {
                foreach (RequestThrottle instance in all)
                {
                    allowed += await instance.CheckAsync(RatePolicy.CaptchaPerIp, test.Client, default) is null ? 1 : 0;
                }
            }

            Assert.InRange(allowed, limit - (instances * 2), limit);
        }
        finally
        {
            foreach (RequestThrottle instance in all)
            {
                instance.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_limit_smaller_than_four_per_instance_has_no_free_share_and_stays_exact()
    {
        const int limit = 7;
        await using var test = await ThrottleTest.StartAsync(limit, instances: 2);
        using RequestThrottle first = test.Instance(), second = test.Instance();
        int allowed = 0;
        for (int i = 0; i < 2 * limit; i++)
        {
            allowed += await (i % 2 == 0 ? first : second).CheckAsync(RatePolicy.CaptchaPerIp, test.Client, default) is null ? 1 : 0;
        }

        Assert.Equal(limit, allowed);
        Assert.InRange(test.Requests.Count, limit, 3 * limit);
    }

    /// <summary>Throttles over one table prefix of the shared Azurite, with every storage request counted.</summary>
    sealed class ThrottleTest : IAsyncDisposable
    {
        readonly TableClients tables;
        readonly ServiceProvider services;
        readonly ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

        ThrottleTest(TableClients tables, ServiceProvider services, CountingPolicy requests, string client)
        {
            this.tables = tables;
            this.services = services;
            Requests = requests;
            Client = client;
        }

        public CountingPolicy Requests { get; }

        public string Client { get; }

        public static async Task<ThrottleTest> StartAsync(int limit, int instances)
        {
            string prefix = "lease" + Guid.NewGuid().ToString("N")[..8];
            var requests = new CountingPolicy();
            var options = new TableClientOptions();
            options.AddPolicy(requests, HttpPipelinePosition.PerCall);
            var tables = new TableClients(new TableServiceClient((await Azurite.SharedAsync()).ConnectionString, options), Options.Create(new StorageOptions { TablePrefix = prefix }));
            await tables.Get(TableNames.RateCounters).CreateIfNotExistsAsync();
            requests.Count = 0;
            return new ThrottleTest(tables, Services(limit, instances), requests, "198.51.100." + Random.Shared.Next(1, 250) + "/" + prefix);
        }

        public RequestThrottle Instance() => ActivatorUtilities.CreateInstance<RequestThrottle>(services, new RateCounterStore(tables, TimeProvider.System), TimeProvider.System,
            new ChorusFunctions.Telemetry.SignupMetrics(metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));

        public async ValueTask DisposeAsync()
        {
            await tables.Get(TableNames.RateCounters).DeleteAsync();
            await services.DisposeAsync();
            await metrics.DisposeAsync();
        }
    }

    static ServiceProvider Services(int limit, int instances)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:TokenKey"] = LocalStack.TestTokenKey,
            ["RateLimits:CaptchaPerIp:PermitLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:CaptchaPerIp:Window"] = "1.00:00:00", // no window ends during the test, but at midnight
            ["RateLimits:Instances"] = instances.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" });
        services.AddChorusSecurity(configuration);
        return services.BuildServiceProvider();
    }

    sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        int count;

        public int Count { get => Volatile.Read(ref count); set => Volatile.Write(ref count, value); }

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref count);
    }
}
