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

/// <summary>Permits taken a few at a time from the shared counter: fewer storage requests, never a looser limit.</summary>
public sealed class RateLeaseTests
{
    [Fact]
    public async Task Two_instances_together_never_allow_more_than_the_limit_and_most_calls_cost_no_request()
    {
        const int limit = 64; // leases of 4
        string prefix = "lease" + Guid.NewGuid().ToString("N")[..8];
        var requests = new CountingPolicy();
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var tables = new TableClients(new TableServiceClient((await Azurite.SharedAsync()).ConnectionString, options), Options.Create(new StorageOptions { TablePrefix = prefix }));
        await tables.Get(TableNames.RateCounters).CreateIfNotExistsAsync();
        using ServiceProvider services = Services(limit);
        using ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        RequestThrottle Instance() => ActivatorUtilities.CreateInstance<RequestThrottle>(services, new RateCounterStore(tables, TimeProvider.System), TimeProvider.System,
            new ChorusFunctions.Telemetry.SignupMetrics(metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        string client = "198.51.100." + Random.Shared.Next(1, 250) + "/" + prefix;

        // One instance alone allows exactly the limit, at about two requests per lease.
        using (RequestThrottle alone = Instance())
        {
            requests.Count = 0;
            for (int i = 0; i < limit; i++)
            {
                Assert.Null(await alone.CheckAsync(RatePolicy.CaptchaPerIp, client, default));
            }

            Assert.Equal(429, (await alone.CheckAsync(RatePolicy.CaptchaPerIp, client, default))?.Status);
            Assert.InRange(requests.Count, limit / 4, limit / 2 + 2);
            requests.Count = 0;
            Assert.NotNull(await alone.CheckAsync(RatePolicy.CaptchaPerIp, client, default));
            Assert.Equal(0, requests.Count); // a limit reached is remembered until the window ends
        }

        // Many requests at once on one instance: their takes add up, none is refused below the limit.
        using (RequestThrottle busy = Instance())
        {
            string crowd = client + "-crowd";
            ApiProblem?[] answers = await Task.WhenAll(Enumerable.Range(0, limit / 2).Select(_ => busy.CheckAsync(RatePolicy.CaptchaPerIp, crowd, default)));
            Assert.All(answers, Assert.Null);
            for (int i = limit / 2; i < limit; i++)
            {
                Assert.Null(await busy.CheckAsync(RatePolicy.CaptchaPerIp, crowd, default));
            }

            Assert.NotNull(await busy.CheckAsync(RatePolicy.CaptchaPerIp, crowd, default));
        }

        // Two instances taking turns: never more than the limit; their unspent leases make them stricter, a little.
        string other = client + "-2";
        using RequestThrottle first = Instance(), second = Instance();
        int allowed = 0;
        for (int i = 0; i < 2 * limit; i++)
        {
            allowed += await (i % 2 == 0 ? first : second).CheckAsync(RatePolicy.CaptchaPerIp, other, default) is null ? 1 : 0;
        }

        Assert.InRange(allowed, limit - 2 * 3, limit);
    }

    static ServiceProvider Services(int limit)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Security:TokenKey"] = LocalStack.TestTokenKey,
            ["RateLimits:CaptchaPerIp:PermitLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:CaptchaPerIp:Window"] = "1.00:00:00", // no window ends during the test, but at midnight
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
