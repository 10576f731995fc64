using System.Threading.RateLimiting;
using ChorusFunctions.Telemetry;

namespace ChorusFunctions.Security.RateLimits;

/// <summary>
/// Applies the rate limits: first an in-process partitioned fixed-window limiter (free, stops a flood before it
/// reaches storage), then the Table-backed counter shared by every instance. When the shared counter cannot count
/// (storage errors, endless contention) the request is held to a stricter in-process limit instead — a quarter of
/// the rule, at least one — so storage trouble neither opens the gates nor refuses everyone. Subjects (addresses,
/// emails, identifiers, ids) are pseudonymised before they are used as keys or stored.
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

    /// <summary>Counts one request against each (policy, subject) in turn; the first refusal is the answer.</summary>
    public async Task<ApiProblem?> CheckAsync(IEnumerable<(RatePolicy Policy, string? Subject)> checks, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return null;
        }

        foreach ((RatePolicy policy, string? subject) in checks)
        {
            if (subject is null)
            {
                continue;
            }

            if (await CheckAsync(policy, subject, cancellationToken) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public Task<ApiProblem?> CheckAsync(RatePolicy policy, string subject, CancellationToken cancellationToken) =>
        options.Enabled ? CheckOneAsync(policy, subject, null, cancellationToken) : Task.FromResult<ApiProblem?>(null);

    /// <summary>
    /// The global per-minute email budget. A first activation email may use all of it; anything else (a new link)
    /// only what is left above <see cref="RateLimitOptions.EmailReserve"/>, so a flood of resends cannot starve the
    /// first links. Both count on one shared counter.
    /// </summary>
    public Task<ApiProblem?> CheckEmailBudgetAsync(bool firstActivation, CancellationToken cancellationToken) =>
        options.Enabled
            ? CheckOneAsync(RatePolicy.EmailsPerMinute, "all", firstActivation ? null : options.EmailsPerMinute.PermitLimit - options.EmailReserve, cancellationToken)
            : Task.FromResult<ApiProblem?>(null);

    async Task<ApiProblem?> CheckOneAsync(RatePolicy policy, string subject, int? sharedLimit, CancellationToken cancellationToken)
    {
        RateLimitRule rule = options.RuleOf(policy);
        string pseudonym = keys.Pseudonym(policy.ToString(), subject);

        // A shared limit of its own (the email budget's two shares) is the shared counter's alone: the in-process
        // pre-filter counts refusals too, and would spend the reserve on refused resends.
        if (sharedLimit is null || !options.Distributed)
        {
            using RateLimitLease lease = local.AttemptAcquire((policy, pseudonym));
            if (!lease.IsAcquired)
            {
                TimeSpan retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : rule.Window;
                LogLimited(policy, "instance");
                metrics.RateLimited(policy.ToString());
                return SecurityProblems.RateLimited(retryAfter);
            }
        }

        if (!options.Distributed)
        {
            return null;
        }

        WindowCount count;
        try
        {
            count = await counters.IncrementAsync(policy.ToString(), pseudonym, rule.Window, sharedLimit ?? rule.PermitLimit, cancellationToken);
        }
        catch (Azure.RequestFailedException ex)
        {
            LogCounterUnavailable(ex, policy);
            return Fallback(policy, pseudonym, rule);
        }

        if (count.Count == 0)
        {
            LogCounterUnavailable(null, policy);
            return Fallback(policy, pseudonym, rule);
        }

        if (count.Count > (sharedLimit ?? rule.PermitLimit))
        {
            LogLimited(policy, "shared");
            metrics.RateLimited(policy.ToString());
            return SecurityProblems.RateLimited(count.WindowEnd - time.GetUtcNow());
        }

        return null;
    }

    /// <summary>Fails closed: without a shared count, only the stricter in-process share of the rule is allowed.</summary>
    ApiProblem? Fallback(RatePolicy policy, string pseudonym, RateLimitRule rule)
    {
        using RateLimitLease lease = fallback.AttemptAcquire((policy, pseudonym));
        if (lease.IsAcquired)
        {
            return null;
        }

        LogLimited(policy, "fallback");
        metrics.RateLimited(policy.ToString());
        return SecurityProblems.RateLimited(lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : rule.Window);
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
