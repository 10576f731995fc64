using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ChorusFunctions.Telemetry;

namespace ChorusFunctions.Security.RateLimits;

/// <summary>
/// An in-process limiter (stops a flood before storage), then a free share per instance, then a Table counter all
/// instances take permits from a few at a time; the counter keeps the free shares back, so together they never pass the
/// limit. Without the counter a stricter in-process quarter applies: storage trouble neither opens the gates nor shuts them.
/// </summary>
public sealed partial class RequestThrottle(IOptions<RateLimitOptions> settings, RateCounterStore counters, SecurityKeys keys, TimeProvider time, SignupMetrics metrics, ILogger<RequestThrottle> logger)
    : IDisposable
{
    /// <summary>The share of a rule the in-process limit allows while the shared counter cannot count.</summary>
    public const int FallbackDivisor = 4;

    readonly RateLimitOptions options = settings.Value;
    readonly PartitionedRateLimiter<(RatePolicy Policy, string Subject)> local = Limiter(settings.Value, divisor: 1);
    readonly PartitionedRateLimiter<(RatePolicy Policy, string Subject)> fallback = Limiter(settings.Value, divisor: FallbackDivisor);

    static PartitionedRateLimiter<(RatePolicy Policy, string Subject)> Limiter(RateLimitOptions options, int divisor) =>
        PartitionedRateLimiter.Create<(RatePolicy Policy, string Subject), (RatePolicy Policy, string Subject)>(key =>
        {
            RateLimitRule rule = options.RuleOf(key.Policy);
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, rule.PermitLimit / divisor),
                Window = rule.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });

    /// <summary>
    /// Permits this instance may spend in a window, per counter and limit: first its free share, then those taken from
    /// the shared counter; -1 once a limit is reached.
    /// </summary>
    readonly ConcurrentDictionary<(RatePolicy Policy, string Subject, int Limit), Lease> leases = new();
    int calls;

    sealed class Lease(DateTimeOffset windowEnd, int left)
    {
        public DateTimeOffset WindowEnd { get; } = windowEnd;

        public int Left { get; set; } = left;

        /// <summary>The shared counter was taken from in this window, so it exists.</summary>
        public bool Counted { get; set; }
    }

    /// <summary>Permits an instance takes at a time: a sixteenth of the limit, at most 8, at least 1 (small limits stay exact).</summary>
    static int LeaseOf(int limit) => Math.Clamp(limit / 16, 1, 8);

    /// <summary>Counts one request against each (policy, subject) in turn; the first refusal is the answer.</summary>
    public async Task<ApiProblem?> CheckAsync(IEnumerable<(RatePolicy Policy, string? Subject)> checks, CancellationToken cancellationToken)
    {
        foreach ((RatePolicy policy, string? subject) in checks)
        {
            if (subject is not null && await CheckOneAsync(policy, subject, null, cancellationToken) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public Task<ApiProblem?> CheckAsync(RatePolicy policy, string subject, CancellationToken cancellationToken) => CheckOneAsync(policy, subject, null, cancellationToken);

    /// <summary>The global email budget: a new link may use only what is above the reserve, so resends cannot starve first links.</summary>
    public Task<ApiProblem?> CheckEmailBudgetAsync(bool firstActivation, CancellationToken cancellationToken) =>
        CheckOneAsync(RatePolicy.EmailsPerMinute, "all", firstActivation ? null : options.EmailsPerMinute.PermitLimit - options.EmailReserve, cancellationToken);

    async Task<ApiProblem?> CheckOneAsync(RatePolicy policy, string subject, int? sharedLimit, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return null;
        }

        RateLimitRule rule = options.RuleOf(policy);
        int limit = sharedLimit ?? rule.PermitLimit;
        string pseudonym = keys.Pseudonym(policy.ToString(), subject);
        // First the in-process limit (free; its windows start at first use, so a burst across the shared counter's
        // aligned window end still meets it). A shared limit of its own (the email budget's two shares) is the
        // shared counter's alone: the in-process one counts refusals too, and would spend the reserve on refused resends.
        if ((sharedLimit is null || !options.Distributed) && Acquire(local, "instance", policy, pseudonym, rule) is { } limited)
        {
            return limited;
        }

        if (!options.Distributed)
        {
            return null;
        }

        DateTimeOffset now = time.GetUtcNow();
        var key = (policy, pseudonym, limit);
        if (Interlocked.Increment(ref calls) % 1024 == 0)
        {
            foreach ((RatePolicy, string, int) ended in leases.Where(l => l.Value.WindowEnd <= now).Select(l => l.Key))
            {
                leases.TryRemove(ended, out _);
            }
        }

        // A subject seen first in this window starts with the instance's free share: a client far below its limit
        // costs no storage request. The email budget's shares are the shared counter's alone.
        if (!leases.TryGetValue(key, out Lease? lease) || lease.WindowEnd <= now)
        {
            var first = new Lease(RateCounterStore.WindowEndOf(now, rule.Window), sharedLimit is null ? options.FreeShareOf(limit) : 0);
            lease = leases.AddOrUpdate(key, first, (_, old) => old.WindowEnd > now ? old : first);
        }

        if (Spend(lease) is { } spent)
        {
            return spent ? null : Limited(policy, "instance", lease.WindowEnd - now);
        }

        int shared = sharedLimit is null ? options.SharedLimitOf(limit) : limit;
        WindowTake taken = default;
        Azure.RequestFailedException? failure = null;
        try
        {
            taken = await counters.TakeAsync(policy.ToString(), pseudonym, rule.Window, shared, LeaseOf(shared), lease.Counted, cancellationToken);
        }
        catch (Azure.RequestFailedException ex)
        {
            failure = ex;
        }

        // Fails closed: without a shared count, only the stricter in-process share of the rule is allowed.
        if (taken.Count == 0)
        {
            LogCounterUnavailable(failure, policy);
            return Acquire(fallback, "fallback", policy, pseudonym, rule);
        }

        // Concurrent takes of one counter add up: a permit taken is never dropped, or the rule would shrink under load.
        var fresh = new Lease(taken.WindowEnd, 0);
        Lease held = leases.AddOrUpdate(key, fresh, (_, old) => old.WindowEnd == taken.WindowEnd ? old : fresh);
        bool allowed;
        lock (held)
        {
            int left = Math.Max(held.Left, 0) + taken.Granted; // this request's permit included
            allowed = left > 0;
            held.Left = allowed ? left - 1 : -1;
            held.Counted = true;
        }

        return allowed ? null : Limited(policy, "shared", taken.WindowEnd - now);
    }

    /// <summary>True: a permit of the lease spent; false: its limit was reached; null: spent, more may be taken.</summary>
    static bool? Spend(Lease lease)
    {
        lock (lease)
        {
            if (lease.Left > 0)
            {
                lease.Left--;
                return true;
            }

            return lease.Left < 0 ? false : null;
        }
    }

    ApiProblem Limited(RatePolicy policy, string counter, TimeSpan retryAfter)
    {
        LogLimited(policy, counter);
        metrics.RateLimited(policy.ToString());
        return SecurityProblems.RateLimited(retryAfter);
    }

    ApiProblem? Acquire(PartitionedRateLimiter<(RatePolicy Policy, string Subject)> limiter, string counter, RatePolicy policy, string pseudonym, RateLimitRule rule)
    {
        using RateLimitLease lease = limiter.AttemptAcquire((policy, pseudonym));
        return lease.IsAcquired ? null : Limited(policy, counter, lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : rule.Window);
    }

    public void Dispose()
    {
        local.Dispose();
        fallback.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit {Policy} reached ({Counter} counter)")]
    partial void LogLimited(RatePolicy policy, string counter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit {Policy}: the shared counter cannot count; the stricter in-process limit applies")]
    partial void LogCounterUnavailable(Exception? exception, RatePolicy policy);
}
