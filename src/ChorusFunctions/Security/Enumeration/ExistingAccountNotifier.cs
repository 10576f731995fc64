using ChorusFunctions.Accounts;
using ChorusFunctions.Email;
using ChorusFunctions.Security.Audit;

namespace ChorusFunctions.Security.Enumeration;

/// <summary>Tells an address's owner of a signup attempt with it, at most once a day (a claimed mark decides); best effort.</summary>
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

    /// <summary>Only for an account's address unless <paramref name="accountsOnly"/> is false (another signup holds it: tell, do not link).</summary>
    /// <param name="attempt">
    /// The attempting signup and when it was made, from work done at least once (a look, a turn): its audit record is
    /// then written once, however often the work runs. Null for a request's own refusal.
    /// </param>
    public async Task NotifyAsync(string normalizedEmail, ClientContext? client, CancellationToken cancellationToken, bool accountsOnly = true, string? language = null,
        (string SignupId, DateTimeOffset At)? attempt = null)
    {
        try
        {
            EmailReservationEntity? holder = await reservations.GetAsync(normalizedEmail, cancellationToken);
            // The account's own status says whether the holder is an account: nothing else records it.
            AccountEntity? account = holder is null ? null
                : await accounts.GetAsync(holder.SignupId, cancellationToken) is { Status: AccountStatus.Active } found ? found : null;

            if (accountsOnly && account is null)
            {
                return;
            }

            if (account is not null)
            {
                await (attempt is { } once
                    ? audit.RecordOnceAsync(holder!.SignupId, AuditEvent.ExistingAccountAttempt, once.SignupId, once.At, client)
                    : audit.RecordAsync(holder!.SignupId, AuditEvent.ExistingAccountAttempt, client));
            }

            string subject = keys.Pseudonym("email", normalizedEmail);
            DateTimeOffset now = time.GetUtcNow();
            if (!await marks.TryClaimAsync(MarkKind, subject, now + Interval, cancellationToken))
            {
                return;
            }

            var to = EmailRecipient.Named(normalizedEmail, account?.FirstName, account?.LastName, account?.Language ?? language ?? "fr");
            EmailMessage message = composer.SignupAttempt(to, $"{subject}:{now:yyyyMMddHHmm}", now);
            try
            {
                await sender.SendAsync(message, cancellationToken);
                LogNoticeSent(holder?.SignupId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Give the day's notice back so that a later attempt can send it.
                await marks.ReleaseAsync(MarkKind, subject, CancellationToken.None);
                LogNoticeFailed(ex, holder?.SignupId);
            }
        }
        catch (Azure.RequestFailedException ex)
        {
            LogNoticeFailed(ex, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup-attempt notice sent (address held by {HolderId})")]
    partial void LogNoticeSent(string? holderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {AccountId}: the signup-attempt notice could not be sent")]
    partial void LogNoticeFailed(Exception exception, string? accountId);
}
