using ChorusFunctions.Storage;

namespace ChorusFunctions.Security;

/// <summary>A lock, a sent notice or a used challenge, holding until a time (partition = kind~pseudonym).</summary>
public sealed class SecurityMarkEntity : TableRow
{
    public const string Row = "mark";

    public override string RowKey { get; set; } = Row;

    public required string Kind { get; set; }

    public required DateTimeOffset Until { get; set; }

    /// <summary>Who set the mark (a pseudonym), when a second claim by the same holder must succeed; else null.</summary>
    public string? Holder { get; set; }
}

public sealed class SecurityMarkStore(TableClients tables, TimeProvider time) : TableStore(tables, TableNames.SecurityMarks)
{
    static string KeyOf(string kind, string subject) => $"{kind}~{subject}";

    Task<SecurityMarkEntity?> FindAsync(string key, CancellationToken cancellationToken) =>
        FindAsync<SecurityMarkEntity>(key, SecurityMarkEntity.Row, cancellationToken);

    /// <summary>The time the mark holds until, when it still holds.</summary>
    public async Task<DateTimeOffset?> HeldUntilAsync(string kind, string subject, CancellationToken cancellationToken) =>
        await FindAsync(KeyOf(kind, subject), cancellationToken) is { } mark && mark.Until > time.GetUtcNow() ? mark.Until : null;

    /// <summary>True for exactly one of racing callers (insert or ETag replace), and again for the same non-null holder (a retry).</summary>
    public async Task<bool> TryClaimAsync(string kind, string subject, DateTimeOffset until, CancellationToken cancellationToken, string? holder = null)
    {
        string key = KeyOf(kind, subject);
        SecurityMarkEntity? mark = await FindAsync(key, cancellationToken);
        if (mark is not null && mark.Until > time.GetUtcNow())
        {
            return HeldBy(mark, holder);
        }

        bool claimed;
        if (mark is null)
        {
            claimed = await InsertAsync(new SecurityMarkEntity { PartitionKey = key, Kind = kind, Until = until, Holder = holder }, cancellationToken);
        }
        else
        {
            mark.Until = until;
            mark.Holder = holder;
            claimed = await ReplaceAsync(mark, cancellationToken) == Write.Applied;
        }

        // Lost a race: to the same holder (two copies of one retried request), the claim is still theirs.
        return claimed || (holder is not null && await FindAsync(key, cancellationToken) is { } winner && winner.Until > time.GetUtcNow() && HeldBy(winner, holder));
    }

    static bool HeldBy(SecurityMarkEntity mark, string? holder) => holder is not null && mark.Holder == holder;

    /// <summary>Removes a mark this caller set (a notice that could not be sent), so a later attempt may try again.</summary>
    public Task ReleaseAsync(string kind, string subject, CancellationToken cancellationToken) =>
        DeleteAsync(KeyOf(kind, subject), SecurityMarkEntity.Row, ETag.All, cancellationToken);

    /// <summary>Deletes marks that stopped holding before <paramref name="before"/>. The table holds marks of abuse and the used challenges of the last few minutes, so it stays small.</summary>
    public Task<int> DeleteLapsedAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        DeleteWhereAsync(TableClient.CreateQueryFilter<SecurityMarkEntity>(m => m.Until < before), max, cancellationToken);
}
