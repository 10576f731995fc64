using ChorusFunctions.Storage;

namespace ChorusFunctions.Security.RateLimits;

/// <summary>
/// A fixed-window counter (table <c>RateCounters</c>): partition = the window's end (UTC, to the second, so
/// cleanup reads only ended windows) and one of 16 shards of what is counted, so that a window's counters spread
/// over partitions instead of making one hot one; row = counter name and the pseudonym of what is counted.
/// </summary>
public sealed class RateCounterEntity : TableRow
{
    public required override string RowKey { get; set; }

    public required int Count { get; set; }

    public required DateTimeOffset WindowEnd { get; set; }
}

/// <summary>The result of counting one more event in a window.</summary>
/// <param name="Count">The count including this event; 0 when it could not be counted (storage contention).</param>
public readonly record struct WindowCount(int Count, DateTimeOffset WindowEnd);

/// <summary>
/// Counts events per fixed window in Table Storage with ETag-conditional increments, so that every instance of the
/// app sees the same count. Once a counter is past its limit it is no longer written: a flood costs one read per
/// request.
/// </summary>
public sealed class RateCounterStore(TableClients tables, TimeProvider time) : TableStore(tables, TableNames.RateCounters)
{
    const int Attempts = 12;

    public static DateTimeOffset WindowEndOf(DateTimeOffset now, TimeSpan window)
    {
        long ticks = now.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % window.Ticks) + window.Ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// The window's end, then a shard of the subject (a hex digit of its SHA-256: stable across instances). Partitions
    /// of ended windows still sort before the cleanup's bound, since the time comes first and has a fixed length.
    /// </summary>
    public static string PartitionOf(DateTimeOffset windowEnd, string subject)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(subject), hash);
        return $"{TimeKeys.Second(windowEnd)}-{hash[0] & 0xF:x}";
    }

    /// <summary>Adds one event to the counter <paramref name="name"/>/<paramref name="subject"/> unless it already exceeds <paramref name="limit"/>.</summary>
    public async Task<WindowCount> IncrementAsync(string name, string subject, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        DateTimeOffset windowEnd = WindowEndOf(time.GetUtcNow(), window);
        string partition = PartitionOf(windowEnd, subject);
        string row = $"{name}~{subject}";
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            RateCounterEntity? counter = await FindAsync<RateCounterEntity>(partition, row, cancellationToken);
            if (counter is null)
            {
                if (await InsertAsync(new RateCounterEntity { PartitionKey = partition, RowKey = row, Count = 1, WindowEnd = windowEnd }, cancellationToken))
                {
                    return new WindowCount(1, windowEnd);
                }
            }
            else if (counter.Count >= limit)
            {
                return new WindowCount(counter.Count + 1, windowEnd);
            }
            else
            {
                counter.Count++;
                if (await ReplaceAsync(counter, cancellationToken) == Write.Applied)
                {
                    return new WindowCount(counter.Count, windowEnd);
                }
            }

            // Another request counted first: read again. A little jitter spreads the retries of a burst.
            await Task.Delay(Random.Shared.Next(2, 10 + (attempt * 5)), cancellationToken);
        }

        return new WindowCount(0, windowEnd);
    }

    /// <summary>Deletes counters of windows that ended before <paramref name="before"/>; reads only those.</summary>
    public Task<int> DeleteEndedAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        DeleteWhereAsync($"PartitionKey lt '{TimeKeys.Second(before)}'", max, cancellationToken);
}
