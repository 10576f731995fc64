using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Security.RateLimits;

/// <summary>
/// A fixed-window counter (table <c>RateCounters</c>): partition = the window's end (UTC, to the second, so
/// cleanup reads only ended windows) and one of 16 shards of what is counted, so that a window's counters spread
/// over partitions instead of making one hot one; row = counter name and the pseudonym of what is counted.
/// </summary>
public sealed class RateCounterEntity : ITableEntity
{
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public RateCounterEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public required string RowKey { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

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
public sealed class RateCounterStore(TableClients tables, TimeProvider time)
{
    const int Attempts = 12;
    readonly TableClient table = tables.Get(SecurityTableNames.RateCounters);

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
            NullableResponse<RateCounterEntity> current = await table.GetEntityIfExistsAsync<RateCounterEntity>(partition, row, cancellationToken: cancellationToken);
            try
            {
                if (!current.HasValue)
                {
                    await table.AddEntityAsync(new RateCounterEntity { PartitionKey = partition, RowKey = row, Count = 1, WindowEnd = windowEnd }, cancellationToken);
                    return new WindowCount(1, windowEnd);
                }

                RateCounterEntity counter = current.Value!;
                if (counter.Count >= limit)
                {
                    return new WindowCount(counter.Count + 1, windowEnd);
                }

                counter.Count++;
                await table.UpdateEntityAsync(counter, counter.ETag, TableUpdateMode.Replace, cancellationToken);
                return new WindowCount(counter.Count, windowEnd);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another request counted first: read again. A little jitter spreads the retries of a burst.
                await Task.Delay(Random.Shared.Next(2, 10 + (attempt * 5)), cancellationToken);
            }
        }

        return new WindowCount(0, windowEnd);
    }

    /// <summary>The current count without adding to it (0 when nothing was counted in this window).</summary>
    public async Task<WindowCount> PeekAsync(string name, string subject, TimeSpan window, CancellationToken cancellationToken)
    {
        DateTimeOffset windowEnd = WindowEndOf(time.GetUtcNow(), window);
        NullableResponse<RateCounterEntity> current = await table.GetEntityIfExistsAsync<RateCounterEntity>(
            PartitionOf(windowEnd, subject), $"{name}~{subject}", select: [nameof(RateCounterEntity.Count), nameof(RateCounterEntity.WindowEnd)], cancellationToken);
        return new WindowCount(current.HasValue ? current.Value!.Count : 0, windowEnd);
    }

    /// <summary>Deletes counters of windows that ended before <paramref name="before"/>; reads only those.</summary>
    public async Task<int> DeleteEndedAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        string bound = TimeKeys.Second(before);
        int deleted = 0;
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>($"PartitionKey lt '{bound}'", maxPerPage: 100, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }

            if (++deleted >= max)
            {
                break;
            }
        }

        return deleted;
    }
}
