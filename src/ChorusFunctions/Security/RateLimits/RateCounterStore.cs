using ChorusFunctions.Storage;

namespace ChorusFunctions.Security.RateLimits;

/// <summary>A fixed-window counter: partition = window end (cleanup reads only ended ones) and one of 16 shards; row = name~pseudonym.</summary>
public sealed class RateCounterEntity : TableRow
{
    public required override string RowKey { get; set; }

    public required int Count { get; set; }

    public required DateTimeOffset WindowEnd { get; set; }
}

/// <summary>Permits taken from a window's counter.</summary>
/// <param name="Granted">How many were taken; 0 when the limit is reached, or, with <paramref name="Count"/> 0, when storage could not count (contention).</param>
/// <param name="Count">The counter after the take.</param>
public readonly record struct WindowTake(int Granted, int Count, DateTimeOffset WindowEnd);

/// <summary>ETag-conditional increments: instances together never hand out more than the limit; a full counter is not written.</summary>
public sealed class RateCounterStore(TableClients tables, TimeProvider time) : TableStore(tables, TableNames.RateCounters)
{
    const int Attempts = 12;

    public static DateTimeOffset WindowEndOf(DateTimeOffset now, TimeSpan window)
    {
        long ticks = now.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % window.Ticks) + window.Ticks, TimeSpan.Zero);
    }

    /// <summary>The window's end (fixed length, so ended windows sort before the cleanup's bound), then a stable shard.</summary>
    public static string PartitionOf(DateTimeOffset windowEnd, string subject)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(subject), hash);
        return $"{TimeKeys.Second(windowEnd)}-{hash[0] & 0xF:x}";
    }

    /// <summary>Takes up to <paramref name="wanted"/> permits, never past the limit; an unseen counter is inserted first (one request).</summary>
    public async Task<WindowTake> TakeAsync(string name, string subject, TimeSpan window, int limit, int wanted, bool seen, CancellationToken cancellationToken)
    {
        DateTimeOffset windowEnd = WindowEndOf(time.GetUtcNow(), window);
        string partition = PartitionOf(windowEnd, subject);
        string row = $"{name}~{subject}";
        int take = Math.Min(wanted, limit);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            RateCounterEntity? counter = attempt == 0 && !seen ? null : await FindAsync<RateCounterEntity>(partition, row, cancellationToken);
            if (counter is null)
            {
                if (await InsertAsync(new RateCounterEntity { PartitionKey = partition, RowKey = row, Count = take, WindowEnd = windowEnd }, cancellationToken))
                {
                    return new WindowTake(take, take, windowEnd);
                }

                if (attempt == 0)
                {
                    continue; // it existed after all: read it, at once
                }
            }
            else if (counter.Count >= limit)
            {
                return new WindowTake(0, counter.Count, windowEnd);
            }
            else
            {
                int granted = Math.Min(take, limit - counter.Count);
                counter.Count += granted;
                if (await ReplaceAsync(counter, cancellationToken) == Write.Applied)
                {
                    return new WindowTake(granted, counter.Count, windowEnd);
                }
            }

            // Another request counted first: read again. A little jitter spreads the retries of a burst.
            await Task.Delay(Random.Shared.Next(2, 10 + (attempt * 5)), cancellationToken);
        }

        return new WindowTake(0, 0, windowEnd);
    }

    /// <summary>Deletes counters of windows that ended before <paramref name="before"/>; reads only those.</summary>
    public Task<int> DeleteEndedAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        DeleteWhereAsync($"PartitionKey lt '{TimeKeys.Second(before)}'", max, cancellationToken);
}
