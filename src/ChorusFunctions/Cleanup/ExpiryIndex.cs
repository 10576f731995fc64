using ChorusFunctions.Storage;

namespace ChorusFunctions.Cleanup;

public enum ExpiryKind
{
    Signup,
    Token,
    /// <summary>A joining request's decision link (kept until the request's deadline so a late click says how it ended).</summary>
    JoinRequestToken,
    /// <summary>An ended signup whose personal data is erased once <c>Privacy__Retention</c> has passed.</summary>
    Erasure,
}

/// <summary>Something that expires, partitioned by its hour, so the cleanup reads only expired buckets, not every signup.</summary>
public sealed class ExpiryIndexEntity : TableRow
{
    public required override string RowKey { get; set; }

    public required ExpiryKind Kind { get; set; }

    public required string TargetId { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }
}

public sealed class ExpiryIndex(TableClients tables) : TableStore(tables, TableNames.ExpiryIndex)
{
    public static string BucketOf(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public Task AddAsync(ExpiryKind kind, string targetId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        UpsertAsync(
            new ExpiryIndexEntity
            {
                PartitionKey = BucketOf(expiresAt),
                RowKey = $"{kind}_{targetId}_{expiresAt.UtcTicks}",
                Kind = kind,
                TargetId = targetId,
                ExpiresAt = expiresAt,
            },
            cancellationToken);

    /// <summary>Entries expired at <paramref name="now"/>: a range over the past buckets only.</summary>
    public IAsyncEnumerable<ExpiryIndexEntity> ExpiredAsync(DateTimeOffset now, int maxPerPage, CancellationToken cancellationToken) =>
        Table.QueryAsync<ExpiryIndexEntity>(TableClient.CreateQueryFilter($"PartitionKey le {BucketOf(now)} and ExpiresAt le {now}"),
            maxPerPage: maxPerPage, cancellationToken: cancellationToken);

    public Task RemoveAsync(ExpiryIndexEntity entry, CancellationToken cancellationToken) =>
        DeleteAsync(entry.PartitionKey, entry.RowKey, ETag.All, cancellationToken);
}
