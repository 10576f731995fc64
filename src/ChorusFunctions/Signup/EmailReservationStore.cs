using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Signup;

/// <summary>
/// One row per login email (table <c>EmailReservations</c>): the keyed insert is what makes a login email
/// unique, whatever the number of concurrent step 1s.
/// </summary>
public sealed class EmailReservationEntity : ITableEntity
{
    public const string Row = "email";

    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public EmailReservationEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string SignupId { get; set; }

    /// <summary>True once the account is active: the email is then taken for good.</summary>
    public bool IsAccount { get; set; }

    public required DateTimeOffset ReservedAt { get; set; }
}

public sealed class EmailReservationStore(TableClients tables)
{
    readonly TableClient table = tables.Get(TableNames.EmailReservations);

    public static string KeyOf(string normalizedEmail) => TableKeys.Escape(normalizedEmail);

    /// <summary>Inserts the reservation; returns the existing row when the email is already reserved.</summary>
    public async Task<EmailReservationEntity?> TryReserveAsync(string normalizedEmail, string signupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new EmailReservationEntity { PartitionKey = KeyOf(normalizedEmail), SignupId = signupId, ReservedAt = now };
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            NullableResponse<EmailReservationEntity> existing =
                await table.GetEntityIfExistsAsync<EmailReservationEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);

            // Released between our insert and our read: report it as held by nobody so the caller retries.
            return existing.HasValue ? existing.Value : new EmailReservationEntity { PartitionKey = row.PartitionKey, SignupId = "", ReservedAt = now, ETag = ETag.All };
        }
    }

    /// <summary>Takes over a stale reservation (its signup expired or was cancelled); false when another actor moved first.</summary>
    public async Task<bool> TryTakeOverAsync(EmailReservationEntity stale, string signupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new EmailReservationEntity { PartitionKey = stale.PartitionKey, SignupId = signupId, ReservedAt = now };
        try
        {
            if (stale.ETag == ETag.All)
            {
                await table.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(row, stale.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    public async Task<EmailReservationEntity?> GetAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        NullableResponse<EmailReservationEntity> response =
            await table.GetEntityIfExistsAsync<EmailReservationEntity>(KeyOf(normalizedEmail), EmailReservationEntity.Row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Marks the email as belonging to an active account (idempotent).</summary>
    public async Task BindToAccountAsync(string normalizedEmail, string signupId, CancellationToken cancellationToken)
    {
        EmailReservationEntity? row = await GetAsync(normalizedEmail, cancellationToken);
        if (row is null || row.SignupId != signupId || row.IsAccount)
        {
            return;
        }

        row.IsAccount = true;
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Frees the email if — and only if — this signup still holds it and it is not an account.</summary>
    public async Task ReleaseAsync(string normalizedEmail, string signupId, CancellationToken cancellationToken)
    {
        EmailReservationEntity? row = await GetAsync(normalizedEmail, cancellationToken);
        if (row is null || row.SignupId != signupId || row.IsAccount)
        {
            return;
        }

        try
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Already released, or taken over by a newer signup: nothing of ours left to free.
        }
    }
}
