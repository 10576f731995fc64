using ChorusFunctions.Accounts;
using ChorusFunctions.Email;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Signup;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.Security.Enumeration;

/// <summary>
/// Step 1 must still answer 409 for an email that has an account (the product needs it), so the owner is told
/// instead, at most once a day per address: a mark in <c>SecurityMarks</c> claimed by insert or ETag-conditional
/// replace decides, so racing attempts send one email. Best effort: a failure is logged, the 409 stands.
/// </summary>
public sealed partial class ExistingAccountNotifier(
    EmailReservationStore reservations,
    AccountStore accounts,
    SecurityMarkStore marks,
    IEmailSender sender,
    EmailComposer composer,
    AuditTrail audit,
    SecurityKeys keys,
    TimeProvider time,
    ILogger<ExistingAccountNotifier> logger)
{
    public const string MarkKind = "attempt-notice";
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    /// <summary>Tells the owner of <paramref name="normalizedEmail"/>, if it is an account's and not told within a day.</summary>
    public async Task NotifyAsync(string normalizedEmail, ClientContext client, CancellationToken cancellationToken)
    {
        try
        {
            EmailReservationEntity? holder = await reservations.GetAsync(normalizedEmail, cancellationToken);
            if (holder is not { IsAccount: true })
            {
                return;
            }

            await audit.RecordAsync(holder.SignupId, AuditEvent.ExistingAccountAttempt, client);
            string subject = keys.Pseudonym("email", normalizedEmail);
            DateTimeOffset now = time.GetUtcNow();
            if (!await marks.TryClaimAsync(MarkKind, subject, now + Interval, cancellationToken))
            {
                return;
            }

            AccountEntity? account = await accounts.GetAsync(holder.SignupId, cancellationToken);
            var to = new EmailRecipient(normalizedEmail, account is null ? null : $"{account.FirstName} {account.LastName}".Trim(), account?.Language ?? "fr");
            EmailMessage message = composer.SignupAttempt(to, $"{subject}:{now:yyyyMMddHHmm}", now);
            try
            {
                await sender.SendAsync(message, cancellationToken);
                LogNoticeSent(holder.SignupId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Give the day's notice back so that a later attempt can send it.
                await marks.ReleaseAsync(MarkKind, subject, CancellationToken.None);
                LogNoticeFailed(ex, holder.SignupId);
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            LogNoticeFailed(ex, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId}: owner told of a signup attempt with their address")]
    partial void LogNoticeSent(string accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {AccountId}: the signup-attempt notice could not be sent")]
    partial void LogNoticeFailed(Exception exception, string? accountId);
}
