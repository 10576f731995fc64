using System.Collections.Concurrent;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.RateLimits;

namespace ChorusFunctions.Security.Lockout;

/// <summary>Activation lockout settings (<c>Lockout__*</c>).</summary>
public sealed class LockoutOptions
{
    public const string Section = "Lockout";

    /// <summary>Refused activation attempts on one signup (wrong confirmation, weak password, missing answer…) before it is locked.</summary>
    [Range(1, int.MaxValue)]
    public int MaxFailedActivations { get; set; } = 5;

    /// <summary>Unknown well-formed links from one client address before it is locked out (malformed ones are not counted).</summary>
    [Range(1, int.MaxValue)]
    public int MaxUnknownTokens { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

public enum ActivationAction
{
    /// <summary>GET: the activation page's summary.</summary>
    View,

    /// <summary>POST: password and secret question.</summary>
    Activate,

    /// <summary>POST …/deactivation: "Désactiver mon compte".</summary>
    Deactivate,
}

/// <summary>What the lockout learnt before the request, for use after it.</summary>
/// <param name="TokenWellFormed">The token has the shape of a real one (43 base64url characters): only those can be guesses.</param>
public sealed record ActivationAttempt(ClientContext Client, ActivationAction Action, string? SignupId, bool TokenWellFormed, bool TokenKnown);

/// <summary>Locks a client with too many unknown links and a signup with too many refused attempts; a shared address never blocks a real link.</summary>
public sealed partial class LinkLockout(
    ActivationTokenStore tokens,
    RateCounterStore counters,
    SecurityMarkStore marks,
    AuditTrail audit,
    SecurityKeys keys,
    LocalLockout local,
    IOptions<LockoutOptions> options,
    TimeProvider time,
    ILogger<LinkLockout> logger)
{
    public const string SignupLock = "lock-signup";
    public const string ClientLock = "lock-client";
    const string SignupFailures = "ActivationFailures";
    const string UnknownTokens = "UnknownTokens";

    /// <summary>The locks that refuse an activation link before the service runs. A problem means: answer it and stop.</summary>
    public async Task<Outcome<ActivationAttempt>> BeforeActivationAsync(ClientContext client, string? token, ActivationAction action, CancellationToken cancellationToken)
    {
        bool wellFormed = ActivationTokens.LooksValid(token);
        ActivationTokenEntity? row = wellFormed ? await tokens.GetAsync(ActivationTokens.Hash(token!), cancellationToken) : null;
        if (row is null && await LockedAsync(ClientLock, ClientSubject(client), cancellationToken) is { } clientLocked)
        {
            return clientLocked;
        }

        if (row is not null && action != ActivationAction.View && await LockedAsync(SignupLock, row.SignupId, cancellationToken) is { } signupLocked)
        {
            return signupLocked;
        }

        return new ActivationAttempt(client, action, row?.SignupId, wellFormed, row is not null);
    }

    /// <summary>Counts failures, locks when a threshold is reached, and records the audit events.</summary>
    public async Task AfterActivationAsync(ActivationAttempt attempt, ApiProblem? problem, CancellationToken cancellationToken)
    {
        if (problem is null)
        {
            if (attempt.SignupId is { } activated && attempt.Action != ActivationAction.View)
            {
                await audit.RecordAsync(activated, attempt.Action == ActivationAction.Activate ? AuditEvent.Activation : AuditEvent.Deactivation, attempt.Client);
            }

            return;
        }

        if (attempt.TokenWellFormed && !attempt.TokenKnown && problem.Code == ErrorCodes.LinkInvalid)
        {
            await CountUnknownLinkAsync(attempt.Client, cancellationToken);
            return;
        }

        if (attempt.SignupId is not { } signupId || attempt.Action == ActivationAction.View)
        {
            return;
        }

        await audit.RecordAsync(signupId, AuditEvent.FailedActivation, attempt.Client, problem.Code);
        if (problem.Code == ErrorCodes.ValidationFailed && await CountAsync(SignupFailures, SignupLock, signupId, options.Value.MaxFailedActivations, cancellationToken))
        {
            LogSignupLocked(signupId, options.Value.MaxFailedActivations);
            await audit.RecordAsync(signupId, AuditEvent.Lockout, attempt.Client, "failed activations");
        }
    }

    /// <summary>After a link matched nothing: the client's lock, when it holds, is the answer; else a well-formed link counts.</summary>
    public async Task<ApiProblem?> AfterUnknownLinkAsync(ClientContext client, string? token, CancellationToken cancellationToken)
    {
        if (await LockedAsync(ClientLock, ClientSubject(client), cancellationToken) is { } locked)
        {
            return locked;
        }

        if (ActivationTokens.LooksValid(token))
        {
            await CountUnknownLinkAsync(client, cancellationToken);
        }

        return null;
    }

    async Task CountUnknownLinkAsync(ClientContext client, CancellationToken cancellationToken)
    {
        if (await CountAsync(UnknownTokens, ClientLock, ClientSubject(client), options.Value.MaxUnknownTokens, cancellationToken))
        {
            LogClientLocked(options.Value.MaxUnknownTokens);
            await audit.RecordAsync(AuditTrail.ClientPartition(keys.ClientHash(client)), AuditEvent.Lockout, client, "unknown links");
        }
    }

    /// <summary>Counts one failure and takes the lock at <paramref name="limit"/>; true when this request took it.</summary>
    async Task<bool> CountAsync(string counter, string lockKind, string subject, int limit, CancellationToken cancellationToken)
    {
        LockoutOptions settings = options.Value;
        WindowTake count = default;
        try
        {
            count = await counters.TakeAsync(counter, subject, settings.FailureWindow, limit, wanted: 1, seen: false, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            LogStorageUnavailable(ex, counter);
        }

        if (count.Count == 0)
        {
            return local.CountAndLock(lockKind, subject, limit, settings.FailureWindow, settings.Duration);
        }

        if (count.Count < limit)
        {
            return false;
        }

        DateTimeOffset until = time.GetUtcNow() + settings.Duration;
        try
        {
            return await marks.TryClaimAsync(lockKind, subject, until, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            LogStorageUnavailable(ex, lockKind);
            local.Lock(lockKind, subject, until);
            return true;
        }
    }

    /// <summary>The 429 while the lock holds, in Table Storage or in the in-process stand-in; only the latter when storage cannot answer.</summary>
    async Task<ApiProblem?> LockedAsync(string kind, string subject, CancellationToken cancellationToken)
    {
        DateTimeOffset? held = local.HeldUntil(kind, subject);
        try
        {
            if (await marks.HeldUntilAsync(kind, subject, cancellationToken) is { } shared && (held is null || shared > held))
            {
                held = shared;
            }
        }
        catch (RequestFailedException ex)
        {
            LogStorageUnavailable(ex, kind);
        }

        return held is { } until ? SecurityProblems.ActivationLocked(until - time.GetUtcNow()) : null;
    }

    string ClientSubject(ClientContext client) => keys.Pseudonym("client", client.RateKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: activation locked after {Count} refused attempts")]
    partial void LogSignupLocked(string signupId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A client address was locked out of activation after {Count} unknown links")]
    partial void LogClientLocked(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lockout {Kind}: Table Storage cannot count or hold the lock; the stricter in-process lockout applies")]
    partial void LogStorageUnavailable(Exception exception, string kind);
}

/// <summary>The in-process stand-in while Table Storage cannot count or lock: a quarter of the rule, so stricter, never absent.</summary>
public sealed class LocalLockout(TimeProvider time)
{
    /// <summary>The share of a rule the in-process count allows.</summary>
    public const int Divisor = 4;

    /// <summary>Past this many entries, lapsed ones are dropped: memory stays bounded under a flood.</summary>
    const int PruneAbove = 10_000;

    readonly ConcurrentDictionary<string, (int Count, DateTimeOffset WindowEnd)> counts = new();
    readonly ConcurrentDictionary<string, DateTimeOffset> locks = new();

    public static int LimitOf(int rule) => Math.Max(1, rule / Divisor);

    /// <summary>Counts one failure of <paramref name="kind"/>/<paramref name="subject"/>; true when it reaches the stricter limit, which locks the subject for <paramref name="duration"/>.</summary>
    public bool CountAndLock(string kind, string subject, int rule, TimeSpan window, TimeSpan duration)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset windowEnd = RateCounterStore.WindowEndOf(now, window);
        (int count, _) = counts.AddOrUpdate(
            $"{kind}~{subject}", _ => (1, windowEnd), (_, current) => current.WindowEnd == windowEnd ? (current.Count + 1, windowEnd) : (1, windowEnd));
        Prune(now);
        if (count < LimitOf(rule))
        {
            return false;
        }

        Lock(kind, subject, now + duration);
        return true;
    }

    public void Lock(string kind, string subject, DateTimeOffset until) =>
        locks.AddOrUpdate($"{kind}~{subject}", until, (_, current) => current > until ? current : until);

    public DateTimeOffset? HeldUntil(string kind, string subject) =>
        locks.TryGetValue($"{kind}~{subject}", out DateTimeOffset until) && until > time.GetUtcNow() ? until : null;

    void Prune(DateTimeOffset now)
    {
        Prune(counts, count => count.WindowEnd <= now);
        Prune(locks, until => until <= now);
    }

    static void Prune<T>(ConcurrentDictionary<string, T> entries, Func<T, bool> lapsed)
    {
        if (entries.Count > PruneAbove)
        {
            foreach (KeyValuePair<string, T> entry in entries.Where(e => lapsed(e.Value)))
            {
                entries.TryRemove(entry);
            }
        }
    }
}
