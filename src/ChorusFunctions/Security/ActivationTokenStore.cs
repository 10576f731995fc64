using ChorusFunctions.Storage;

namespace ChorusFunctions.Security;

/// <summary>An activation link (table <c>ActivationTokens</c>, partition = SHA-256 of the token; the token itself is never stored).</summary>
public sealed class ActivationTokenEntity : TableRow
{
    public const string Row = "token";

    public override string RowKey { get; set; } = Row;

    public required string SignupId { get; set; }

    public required int Sequence { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }
}

public sealed class ActivationTokenStore(TableClients tables) : TableStore(tables, TableNames.ActivationTokens)
{
    public Task<ActivationTokenEntity?> GetAsync(string tokenHash, CancellationToken cancellationToken) =>
        FindAsync<ActivationTokenEntity>(tokenHash, ActivationTokenEntity.Row, cancellationToken);

    /// <summary>Upsert: a retried send writes the same derived token again.</summary>
    public Task SaveAsync(ActivationTokenEntity token, CancellationToken cancellationToken) => UpsertAsync(token, cancellationToken);

    public Task DeleteAsync(string tokenHash, CancellationToken cancellationToken) =>
        DeleteAsync(tokenHash, ActivationTokenEntity.Row, ETag.All, cancellationToken);
}
