using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
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

/// <summary>
/// A pointer to something that expires (table <c>ExpiryIndex</c>), partitioned by the hour it expires in, so
/// the cleanup reads only the buckets that have expired instead of scanning every signup.
/// </summary>
public sealed class ExpiryIndexEntity : ITableEntity
{
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public ExpiryIndexEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public required string RowKey { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string Kind { get; set; }

    public required string TargetId { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }
}

public sealed class ExpiryIndex(TableClients tables)
{
    readonly TableClient table = tables.Get(TableNames.ExpiryIndex);

    public static string BucketOf(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public Task AddAsync(ExpiryKind kind, string targetId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(
            new ExpiryIndexEntity
            {
                PartitionKey = BucketOf(expiresAt),
                RowKey = $"{kind}_{targetId}_{expiresAt.UtcTicks}",
                Kind = kind.ToString(),
                TargetId = targetId,
                ExpiresAt = expiresAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>Entries expired at <paramref name="now"/>: a range over the past buckets only.</summary>
    public IAsyncEnumerable<ExpiryIndexEntity> ExpiredAsync(DateTimeOffset now, int maxPerPage, CancellationToken cancellationToken)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey le {BucketOf(now)} and ExpiresAt le {now}");
        return table.QueryAsync<ExpiryIndexEntity>(filter, maxPerPage: maxPerPage, cancellationToken: cancellationToken);
    }

    public async Task RemoveAsync(ExpiryIndexEntity entry, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }
}
