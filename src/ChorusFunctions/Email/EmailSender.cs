namespace ChorusFunctions.Email;

/// <summary>
/// One email to send. <see cref="IdempotencyKey"/> names the send (signup, purpose, sequence): a retried
/// activity passes the same key, so a provider that deduplicates (ACS <c>Operation-Id</c>) sends it once.
/// </summary>
public sealed record EmailMessage
{
    public required string To { get; init; }

    public string? ToName { get; init; }

    public required string Subject { get; init; }

    public required string PlainText { get; init; }

    public required string Html { get; init; }

    public required string IdempotencyKey { get; init; }
}

/// <summary>The one seam every email goes through: SMTP locally, Azure Communication Services in Azure.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>A send that will never succeed however often it is retried (bad address, refused sender).</summary>
public sealed class PermanentEmailFailureException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A send that did not go through now but may later (throttled past the allowed attempts, service unavailable, still
/// running when the activity must end): the orchestration's retry policy tries again with the same idempotency key.
/// </summary>
public sealed class TransientEmailFailureException(string message, Exception? inner = null) : Exception(message, inner);
