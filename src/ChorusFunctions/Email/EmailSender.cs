namespace ChorusFunctions.Email;

/// <summary>One email; a retried activity passes the same <see cref="IdempotencyKey"/>, so a deduplicating provider (ACS) sends it once.</summary>
public sealed record EmailMessage
{
    public required string To { get; init; }

    public string? ToName { get; init; }

    public required string Subject { get; init; }

    public required string PlainText { get; init; }

    public required string Html { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>
    /// Whether the sender waits for the provider's verdict (ACS: the operation's end), so that a failed delivery can be
    /// told to the user. False where the address is proven and the caller is a person waiting: handed over is enough.
    /// </summary>
    public bool FollowDelivery { get; init; } = true;
}

/// <summary>The one seam every email goes through: SMTP locally, Azure Communication Services in Azure.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>A send that will never succeed however often it is retried (bad address, refused sender).</summary>
public sealed class PermanentEmailFailureException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A send that may go through later (throttled, unavailable, still running): the orchestration retries it, same key.</summary>
public sealed class TransientEmailFailureException(string message, Exception? inner = null) : Exception(message, inner);
