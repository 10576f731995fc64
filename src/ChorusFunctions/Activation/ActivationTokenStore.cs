using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Security;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Activation;

/// <summary>An activation link (table <c>ActivationTokens</c>, partition = SHA-256 of the token; the token itself is never stored).</summary>
public sealed class ActivationTokenEntity : ITableEntity
{
    public const string Row = "token";

    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public ActivationTokenEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string SignupId { get; set; }

    public required int Sequence { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

}

public sealed class ActivationTokenStore(TableClients tables)
{
    readonly TableClient table = tables.Get(TableNames.ActivationTokens);

    public async Task<ActivationTokenEntity?> GetAsync(string tokenHash, CancellationToken cancellationToken)
    {
        NullableResponse<ActivationTokenEntity> response =
            await table.GetEntityIfExistsAsync<ActivationTokenEntity>(tokenHash, ActivationTokenEntity.Row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Upsert: a retried send writes the same derived token again.</summary>
    public Task SaveAsync(ActivationTokenEntity token, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(token, TableUpdateMode.Replace, cancellationToken);

    public async Task DeleteAsync(string tokenHash, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(tokenHash, ActivationTokenEntity.Row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }
}
