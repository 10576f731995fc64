using ChorusFunctions.Storage;

namespace ChorusFunctions.Accounts;

/// <summary>One row per login email: the keyed insert makes a login email unique, whatever the number of concurrent step 1s.</summary>
public sealed class EmailReservationEntity : TableRow
{
    public const string Row = "email";

    public override string RowKey { get; set; } = Row;

    /// <summary>The signup holding the email; its account once active (the account's id is the signup's).</summary>
    public required string SignupId { get; set; }

    public required DateTimeOffset ReservedAt { get; set; }
}

public sealed class EmailReservationStore(TableClients tables) : TableStore(tables, TableNames.EmailReservations)
{
    public static string KeyOf(string normalizedEmail) => TableKeys.Escape(normalizedEmail);

    /// <summary>Inserts the reservation; returns the existing row when the email is already reserved.</summary>
    public async Task<EmailReservationEntity?> TryReserveAsync(string normalizedEmail, string signupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new EmailReservationEntity { PartitionKey = KeyOf(normalizedEmail), SignupId = signupId, ReservedAt = now };
        // Released between our insert and our read: report it as held by nobody so the caller retries.
        return await InsertAsync(row, cancellationToken) ? null
            : await GetAsync(normalizedEmail, cancellationToken) ?? new EmailReservationEntity { PartitionKey = row.PartitionKey, SignupId = "", ReservedAt = now, ETag = ETag.All };
    }

    /// <summary>Takes over a stale reservation (its signup expired or was cancelled); false when another actor moved first.</summary>
    public async Task<bool> TryTakeOverAsync(EmailReservationEntity stale, string signupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new EmailReservationEntity { PartitionKey = stale.PartitionKey, SignupId = signupId, ReservedAt = now, ETag = stale.ETag };
        return stale.ETag == ETag.All ? await InsertAsync(row, cancellationToken) : await ReplaceAsync(row, cancellationToken) == Write.Applied;
    }

    public Task<EmailReservationEntity?> GetAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindAsync<EmailReservationEntity>(KeyOf(normalizedEmail), EmailReservationEntity.Row, cancellationToken);

    /// <summary>
    /// Frees the email if — and only if — this signup still holds it. Only an ended signup is released, and a signup
    /// whose account is active never ends: an account's email is never freed.
    /// </summary>
    public async Task ReleaseAsync(string normalizedEmail, string signupId, CancellationToken cancellationToken)
    {
        if (await GetAsync(normalizedEmail, cancellationToken) is { } row && row.SignupId == signupId)
        {
            // False when already released, or taken over by a newer signup: nothing of ours left to free.
            await DeleteAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
    }

}
