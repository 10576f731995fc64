using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Signup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Security;

public sealed class SecuritySettingsTests
{
    const string TokenKey = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMDEyMzQ1Njc4OQ==";

    sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    static ServiceProvider Services(string environment, Dictionary<string, string?> settings)
    {
        settings.TryAdd("Security:TokenKey", TokenKey);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new Environment(environment));
        services.AddChorusSecurity(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_captcha_defaults_to_the_image_provider()
    {
        using ServiceProvider services = Services(Environments.Production, []);
        Assert.Equal(CaptchaProviderKind.Image, services.GetRequiredService<IOptions<CaptchaOptions>>().Value.Provider);
        Assert.Equal(TimeSpan.FromMinutes(5), services.GetRequiredService<IOptions<CaptchaOptions>>().Value.Lifetime);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Turning_the_captcha_off_is_refused_outside_development(string environment)
    {
        using ServiceProvider services = Services(environment, new() { ["Captcha:Provider"] = "None" });
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CaptchaOptions>>().Value);
        Assert.Contains(SecurityRegistration.DevelopmentOnlyMessage, error.Failures);
    }

    [Fact]
    public void Turning_the_captcha_off_is_allowed_in_development()
    {
        using ServiceProvider services = Services(Environments.Development, new() { ["Captcha:Provider"] = "None" });
        Assert.Equal(CaptchaProviderKind.None, services.GetRequiredService<IOptions<CaptchaOptions>>().Value.Provider);
    }

    [Theory]
    [InlineData("RateLimits:SignupPerIp:PermitLimit", "0")]
    [InlineData("RateLimits:CaptchaPerIp:Window", "00:00:00")]
    [InlineData("RateLimits:Instances", "0")]
    [InlineData("Lockout:MaxFailedActivations", "0")]
    [InlineData("Security:AuditKey", "dG9vLXNob3J0")]
    [InlineData("Security:TrustedHops", "-1")]
    [InlineData("Security:TrustedHops", "11")]
    [InlineData("Security:ClientAddressHeader", "X-Client IP")]
    [InlineData("Captcha:Lifetime", "01:00:01")]
    public void Invalid_settings_are_refused(string setting, string value)
    {
        using ServiceProvider services = Services(Environments.Development, new() { [setting] = value });
        Assert.ThrowsAny<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            _ = services.GetRequiredService<IOptions<LockoutOptions>>().Value;
            _ = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
            _ = services.GetRequiredService<IOptions<CaptchaOptions>>().Value;
        });
    }

    [Fact]
    public void Default_limits_are_valid_and_generous()
    {
        var options = new RateLimitOptions();
        Assert.True(options.IsValid());
        foreach (RatePolicy policy in Enum.GetValues<RatePolicy>())
        {
            RateLimitRule rule = options.RuleOf(policy);
            Assert.True(rule.PermitLimit >= 5 || policy == RatePolicy.ResendPerSignup, $"{policy} allows only {rule.PermitLimit}");
        }

        // Each new link emails an address nobody verified: 3 an hour is what a person needs, not what a flood wants.
        Assert.Equal(3, options.ResendPerSignup.PermitLimit);
        Assert.Equal(TimeSpan.FromHours(1), options.ResendPerSignup.Window);
        Assert.True(options.SignupPerEmail.PermitLimit >= 20, "20 concurrent step 1s with one email must all be answered");
        var lockout = new LockoutOptions();
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(lockout, new(lockout), null, validateAllProperties: true));
    }

    [Fact]
    public void Pseudonyms_are_keyed_stable_and_separate_per_kind()
    {
        using ServiceProvider services = Services(Environments.Development, []);
        SecurityKeys keys = services.GetRequiredService<SecurityKeys>();
        Assert.Equal(keys.Pseudonym("ip", "192.0.2.1"), keys.Pseudonym("ip", "192.0.2.1"));
        Assert.NotEqual(keys.Pseudonym("ip", "192.0.2.1"), keys.Pseudonym("email", "192.0.2.1"));
        Assert.Matches("^[0-9a-f]{32}$", keys.Pseudonym("ip", "192.0.2.1"));
        Assert.DoesNotContain("192", keys.Pseudonym("ip", "192.0.2.1"), StringComparison.Ordinal);

        using ServiceProvider other = Services(Environments.Development, new() { ["Security:AuditKey"] = Convert.ToBase64String(new byte[32]) });
        Assert.NotEqual(keys.Pseudonym("ip", "192.0.2.1"), other.GetRequiredService<SecurityKeys>().Pseudonym("ip", "192.0.2.1"));
    }

    [Fact]
    public async Task The_in_process_limiter_refuses_past_the_limit_with_retry_after()
    {
        using ServiceProvider services = Services(Environments.Development, new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["RateLimits:Distributed"] = "false",
            ["RateLimits:CaptchaPerIp:PermitLimit"] = "3",
            ["RateLimits:CaptchaPerIp:Window"] = "00:01:00",
        });
        using ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        RequestThrottle throttle = ActivatorUtilities.CreateInstance<RequestThrottle>(services, new RateCounterStore(new Storage.TableClients(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"), Microsoft.Extensions.Options.Options.Create(new Storage.StorageOptions())), TimeProvider.System), TimeProvider.System, new ChorusFunctions.Telemetry.SignupMetrics(metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(await throttle.CheckAsync(RatePolicy.CaptchaPerIp, "192.0.2.1", CancellationToken.None));
        }

        ApiProblem? refused = await throttle.CheckAsync(RatePolicy.CaptchaPerIp, "192.0.2.1", CancellationToken.None);
        Assert.NotNull(refused);
        Assert.Equal(429, refused.Status);
        Assert.Equal(ErrorCodes.RateLimited, refused.Code);
        Assert.InRange(refused.RetryAfterSeconds!.Value, 1, 60);
        Assert.Null(await throttle.CheckAsync(RatePolicy.CaptchaPerIp, "192.0.2.2", CancellationToken.None));
        Assert.Null(await throttle.CheckAsync(RatePolicy.SignupPerIp, "192.0.2.1", CancellationToken.None));
    }

    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(59.1, 60)]
    [InlineData(-3, 1)]
    public void Retry_after_is_whole_seconds_and_at_least_one(double seconds, int expected)
    {
        Assert.Equal(expected, SecurityProblems.RateLimited(TimeSpan.FromSeconds(seconds)).RetryAfterSeconds);
        Assert.Equal(expected, SecurityProblems.ActivationLocked(TimeSpan.FromSeconds(seconds)).RetryAfterSeconds);
    }

    [Fact]
    public void Windows_are_aligned_so_every_instance_counts_in_the_same_row()
    {
        var at = new DateTimeOffset(2026, 11, 25, 14, 30, 10, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 31, 0, TimeSpan.Zero), RateCounterStore.WindowEndOf(at, TimeSpan.FromMinutes(1)));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 40, 0, TimeSpan.Zero), RateCounterStore.WindowEndOf(at, TimeSpan.FromMinutes(10)));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 31, 0, TimeSpan.Zero), RateCounterStore.WindowEndOf(at.AddSeconds(49), TimeSpan.FromMinutes(1)));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 14, 32, 0, TimeSpan.Zero), RateCounterStore.WindowEndOf(at.AddSeconds(50), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void New_error_codes_are_documented()
    {
        Assert.Contains(ErrorCodes.RateLimited, ErrorCodes.All.Keys);
        Assert.Contains(ErrorCodes.ActivationLocked, ErrorCodes.All.Keys);
    }

    [Fact]
    public async Task When_the_shared_counter_cannot_count_the_throttle_fails_closed_to_a_quarter_of_the_rule()
    {
        using ServiceProvider services = Services(Environments.Development, new()
        {
            ["RateLimits:CaptchaPerIp:PermitLimit"] = "8",
            ["RateLimits:CaptchaPerIp:Window"] = "00:01:00",
        });
        using ServiceProvider metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

        // Nothing listens on port 1, and no retry: every count fails at once, as with storage down.
        var unreachable = new Azure.Data.Tables.TableServiceClient(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1",
            new Azure.Data.Tables.TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) } });
        RequestThrottle throttle = ActivatorUtilities.CreateInstance<RequestThrottle>(services,
            new RateCounterStore(new Storage.TableClients(unreachable, Microsoft.Extensions.Options.Options.Create(new Storage.StorageOptions())), TimeProvider.System),
            TimeProvider.System, new ChorusFunctions.Telemetry.SignupMetrics(metrics.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));

        Assert.Null(await throttle.CheckAsync(RatePolicy.CaptchaPerIp, "192.0.2.1", CancellationToken.None));
        Assert.Null(await throttle.CheckAsync(RatePolicy.CaptchaPerIp, "192.0.2.1", CancellationToken.None));
        ApiProblem? refused = await throttle.CheckAsync(RatePolicy.CaptchaPerIp, "192.0.2.1", CancellationToken.None);
        Assert.Equal(429, refused?.Status);
        Assert.InRange(refused!.RetryAfterSeconds!.Value, 1, 60);
        Assert.Null(await throttle.CheckAsync(RatePolicy.CaptchaPerIp, "192.0.2.2", CancellationToken.None));
    }

    [Fact]
    public void Counter_rows_of_one_window_spread_over_sixteen_partitions_that_sort_by_window_end()
    {
        DateTimeOffset end = new(2026, 12, 1, 20, 50, 0, TimeSpan.Zero);
        string[] partitions = Enumerable.Range(0, 200).Select(i => RateCounterStore.PartitionOf(end, $"subject-{i}")).ToArray();
        Assert.Equal(16, partitions.Distinct().Count());
        Assert.All(partitions, p => Assert.StartsWith("20261201205000-", p, StringComparison.Ordinal));
        Assert.Equal(RateCounterStore.PartitionOf(end, "same"), RateCounterStore.PartitionOf(end, "same"));

        // The cleanup deletes "PartitionKey lt {bound}": every shard of an ended window is below the next second.
        Assert.All(partitions, p => Assert.True(string.CompareOrdinal(p, "20261201205001") < 0));
        Assert.All(partitions, p => Assert.True(string.CompareOrdinal(p, "20261201205000") > 0));
    }
}
