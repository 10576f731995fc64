using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Security;

/// <summary>
/// A mark that holds until a time (table <c>SecurityMarks</c>, partition = kind and pseudonym of the subject):
/// a lockout, "the enumeration notice was sent to this address today", or "this proof-of-work challenge was used".
/// </summary>
public sealed class SecurityMarkEntity : ITableEntity
{
    public const string Row = "mark";

    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public SecurityMarkEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string Kind { get; set; }

    public required DateTimeOffset Until { get; set; }

    /// <summary>Who set the mark (a pseudonym), when a second claim by the same holder must succeed; else null.</summary>
    public string? Holder { get; set; }
}

public sealed class SecurityMarkStore(TableClients tables, TimeProvider time)
{
    readonly TableClient table = tables.Get(SecurityTableNames.SecurityMarks);

    static string KeyOf(string kind, string subject) => $"{kind}~{subject}";

    /// <summary>The time the mark holds until, when it still holds.</summary>
    public async Task<DateTimeOffset?> HeldUntilAsync(string kind, string subject, CancellationToken cancellationToken)
    {
        NullableResponse<SecurityMarkEntity> mark = await table.GetEntityIfExistsAsync<SecurityMarkEntity>(KeyOf(kind, subject), SecurityMarkEntity.Row, cancellationToken: cancellationToken);
        return mark.HasValue && mark.Value!.Until > time.GetUtcNow() ? mark.Value.Until : null;
    }

    /// <summary>
    /// Sets the mark until <paramref name="until"/> unless one still holds. True for exactly one of several racing
    /// callers (insert, or ETag-conditional replace of an expired mark) — and again for the same non-null
    /// <paramref name="holder"/> while its mark holds (a retried request).
    /// </summary>
    public async Task<bool> TryClaimAsync(string kind, string subject, DateTimeOffset until, CancellationToken cancellationToken, string? holder = null)
    {
        string key = KeyOf(kind, subject);
        NullableResponse<SecurityMarkEntity> current = await table.GetEntityIfExistsAsync<SecurityMarkEntity>(key, SecurityMarkEntity.Row, cancellationToken: cancellationToken);
        try
        {
            if (!current.HasValue)
            {
                await table.AddEntityAsync(new SecurityMarkEntity { PartitionKey = key, Kind = kind, Until = until, Holder = holder }, cancellationToken);
                return true;
            }

            SecurityMarkEntity mark = current.Value!;
            if (mark.Until > time.GetUtcNow())
            {
                return holder is not null && mark.Holder == holder;
            }

            mark.Until = until;
            mark.Holder = holder;
            await table.UpdateEntityAsync(mark, mark.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Lost a race: to the same holder (two copies of one retried request), the claim is still theirs.
            return holder is not null
                && (await table.GetEntityIfExistsAsync<SecurityMarkEntity>(key, SecurityMarkEntity.Row, cancellationToken: cancellationToken)) is { HasValue: true } winner
                && winner.Value!.Holder == holder && winner.Value.Until > time.GetUtcNow();
        }
    }

    /// <summary>Removes a mark this caller set (a notice that could not be sent), so a later attempt may try again.</summary>
    public async Task ReleaseAsync(string kind, string subject, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(KeyOf(kind, subject), SecurityMarkEntity.Row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>Deletes marks that stopped holding before <paramref name="before"/>. The table holds marks of abuse and the used challenges of the last few minutes, so it stays small.</summary>
    public async Task<int> DeleteLapsedAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        int deleted = 0;
        string filter = TableClient.CreateQueryFilter<SecurityMarkEntity>(m => m.Until < before);
        await foreach (SecurityMarkEntity mark in table.QueryAsync<SecurityMarkEntity>(filter, maxPerPage: 100, cancellationToken: cancellationToken))
        {
            try
            {
                await table.DeleteEntityAsync(mark.PartitionKey, mark.RowKey, mark.ETag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
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
