using System.Collections.Concurrent;
using ChorusFunctions.Security.RateLimits;

namespace ChorusFunctions.Security.Lockout;

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
        if (counts.Count > PruneAbove)
        {
            foreach (KeyValuePair<string, (int Count, DateTimeOffset WindowEnd)> entry in counts.Where(e => e.Value.WindowEnd <= now))
            {
                counts.TryRemove(entry);
            }
        }

        if (locks.Count > PruneAbove)
        {
            foreach (KeyValuePair<string, DateTimeOffset> entry in locks.Where(e => e.Value <= now))
            {
                locks.TryRemove(entry);
            }
        }
    }
}
