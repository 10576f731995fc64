using System.Net;
using ChorusFunctions.Settings;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace ChorusFunctions.Structures;

/// <summary>
/// The company register behind <see cref="IStructureDirectory"/>, chosen by <c>Directory__Provider</c>. The HTTP
/// providers each get a named client with a resilience pipeline: total timeout → retry (exponential backoff with
/// jitter, Retry-After honoured when short) → circuit breaker → attempt timeout; their answers are cached briefly.
/// </summary>
public static class DirectoryRegistration
{
    public static IServiceCollection AddStructureDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DirectoryOptions>(configuration, DirectoryOptions.Section);

        services.AddSingleton<EmbeddedStructureDirectory>();
        services.AddSingleton<SireneDirectory>();
        services.AddSingleton<RechercheEntreprisesDirectory>();
        AddRegisterClient(services, SireneDirectory.ClientName);
        AddRegisterClient(services, RechercheEntreprisesDirectory.ClientName);

        services.AddSingleton<IStructureDirectory>(sp =>
        {
            DirectoryOptions options = sp.GetRequiredService<IOptions<DirectoryOptions>>().Value;
            IStructureDirectory register = options.Provider switch
            {
                DirectoryProvider.Sirene => sp.GetRequiredService<SireneDirectory>(),
                DirectoryProvider.RechercheEntreprises => sp.GetRequiredService<RechercheEntreprisesDirectory>(),
                _ => sp.GetRequiredService<EmbeddedStructureDirectory>(),
            };
            return register is HttpStructureDirectory && options.CacheDuration > TimeSpan.Zero ? new CachingStructureDirectory(register, options.CacheDuration) : register;
        });
        return services;
    }

    static void AddRegisterClient(IServiceCollection services, string name)
    {
        services.AddHttpClient(name, client =>
            {
                client.MaxResponseContentBufferSize = HttpStructureDirectory.MaxResponseBytes;
                client.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // The pipeline's timeouts rule.
                client.DefaultRequestHeaders.UserAgent.ParseAdd("ChorusFunctions/1.0 (structure prefill)");
                client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            })
            .AddResilienceHandler(name, (pipeline, context) =>
            {
                DirectoryOptions options = context.ServiceProvider.GetRequiredService<IOptions<DirectoryOptions>>().Value;
                TimeProvider time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline
                    .AddTimeout(options.Timeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(200),
                        MaxDelay = options.MaxRetryAfter,
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = args => ValueTask.FromResult(options.MaxRetryAttempts > 0 && ShouldRetry(args.Outcome, options.MaxRetryAfter, time)),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 6,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = TimeSpan.FromSeconds(30),
                        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    })
                    .AddTimeout(options.AttemptTimeout);
            });
    }

    /// <summary>Network errors, attempt timeouts, 5xx, 408 and 429.</summary>
    public static bool IsTransient(Polly.Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    /// <summary>Transient, except a 429 asking to wait longer than <paramref name="maxRetryAfter"/>: that one is given up at once.</summary>
    public static bool ShouldRetry(Polly.Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, TimeProvider time) =>
        IsTransient(outcome)
        && !(outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } throttled
            && HttpStructureDirectory.RetryAfter(throttled, time.GetUtcNow()) is { } wait && wait > maxRetryAfter);
}

/// <summary>
/// Remembers the register's answers (found, unknown, not diffusible, closed) for a short while, so that step 1 and
/// the structure lookup of the same SIRET cost one request. Unavailable is never cached.
/// </summary>
public sealed class CachingStructureDirectory(IStructureDirectory inner, TimeSpan duration) : IStructureDirectory, IDisposable
{
    readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public async Task<DirectoryLookup> LookupAsync(StructureIdentifier identifier, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(identifier.Key, out DirectoryLookup? cached) && cached is not null)
        {
            return cached;
        }

        DirectoryLookup lookup = await inner.LookupAsync(identifier, cancellationToken);
        if (lookup.Result != DirectoryResult.Unavailable)
        {
            cache.Set(identifier.Key, lookup, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = duration, Size = 1 });
        }

        return lookup;
    }

    public void Dispose() => cache.Dispose();
}
