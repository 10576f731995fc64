using ChorusFunctions.Storage;

namespace ChorusFunctions.Security.Audit;

/// <summary>The security events kept by the audit trail; the value names are what is stored.</summary>
public enum AuditEvent
{
    /// <summary>Step 1 accepted: a signup exists.</summary>
    Started,

    /// <summary>An activation email was handed to the email provider.</summary>
    EmailSent,

    /// <summary>A new activation link was asked for.</summary>
    Resend,

    Activation,

    /// <summary>An activation attempt on a real link was refused (validation, used or late link).</summary>
    FailedActivation,

    /// <summary>The owner closed the pending account ("Désactiver mon compte").</summary>
    Deactivation,

    Expiry,

    /// <summary>Activation locked, for a signup or for a client address.</summary>
    Lockout,

    /// <summary>Step 1 was tried with the login email of an existing account (the owner is told once a day).</summary>
    ExistingAccountAttempt,

    /// <summary>The signup's orchestration had failed, vanished or stalled: a new one took over from the row.</summary>
    Repair,
}

/// <summary>An audit record, only ever inserted: partition = signup id or <c>client~{hash}</c>; row = time-ordered, unique (<c>{ticks}~{random or cause}</c>).</summary>
public sealed class AuditEntity : TableRow
{
    public required override string RowKey { get; set; }

    public required AuditEvent Event { get; set; }

    public required DateTimeOffset OccurredAt { get; set; }

    /// <summary>Keyed hash (HMAC-SHA256, audit key) of the client address; null for events with no client (emails, expiry).</summary>
    public string? ClientHash { get; set; }

    /// <summary>A short, non-secret detail: a link sequence, a problem code.</summary>
    public string? Detail { get; set; }
}

/// <summary>Appends security events, never exposed over HTTP. Best effort: a failed write is logged, the request goes on.</summary>
public sealed partial class AuditTrail(TableClients tables, SecurityKeys keys, TimeProvider time, ILogger<AuditTrail> logger)
    : TableStore(tables, TableNames.AuditTrail)
{
    public static string ClientPartition(string clientHash) => $"client~{clientHash}";

    /// <summary>Appends one event. Not cancelled with the request: an aborted request still leaves its trace.</summary>
    /// <param name="occurredAt">When it happened, if not now (a request is dated when it came, before what it caused).</param>
    public Task RecordAsync(string subject, AuditEvent auditEvent, ClientContext? client, string? detail = null, DateTimeOffset? occurredAt = null) =>
        AppendAsync(subject, auditEvent, client, detail, occurredAt ?? time.GetUtcNow(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    /// <summary>
    /// Appends the event of work done at least once (a look, a turn run again after a crash), keyed by what caused it
    /// (<paramref name="cause"/>, dated <paramref name="occurredAt"/>): doing the work again records nothing more.
    /// </summary>
    public Task RecordOnceAsync(string subject, AuditEvent auditEvent, string cause, DateTimeOffset occurredAt, ClientContext? client) =>
        AppendAsync(subject, auditEvent, client, detail: null, occurredAt, $"{auditEvent}~{cause}");

    async Task AppendAsync(string subject, AuditEvent auditEvent, ClientContext? client, string? detail, DateTimeOffset occurredAt, string rowSuffix)
    {
        var entity = new AuditEntity
        {
            PartitionKey = subject,
            RowKey = $"{occurredAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}~{rowSuffix}",
            Event = auditEvent,
            OccurredAt = occurredAt,
            ClientHash = client is null ? null : keys.ClientHash(client),
            Detail = detail is { Length: > 64 } ? detail[..64] : detail,
        };

        try
        {
            await Table.AddEntityAsync(entity, CancellationToken.None);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Recorded already, by the first run of the same work.
        }
        catch (RequestFailedException ex)
        {
            LogWriteFailed(ex, auditEvent, subject);
        }
    }

    /// <summary>The events of a signup (or client partition), oldest first. For operators and tests.</summary>
    public async Task<IReadOnlyList<AuditEntity>> ReadAsync(string subject, CancellationToken cancellationToken) =>
        await Table.QueryAsync<AuditEntity>(e => e.PartitionKey == subject, cancellationToken: cancellationToken).ToListAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit event {Event} for {Subject} could not be written")]
    partial void LogWriteFailed(Exception exception, AuditEvent @event, string subject);
}
