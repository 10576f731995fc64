using ChorusFunctions.Http;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Signup;
using Microsoft.AspNetCore.Http;

namespace ChorusFunctions.Security;

/// <summary>Rate limits, enumeration notice and audit of step 1, of new activation links and of every request on a signup.</summary>
public sealed class SignupGuard(RequestThrottle throttle, ExistingAccountNotifier notifier, AuditTrail audit, ClientAddressResolver clients, SignupStore signups, ProofOfWorkService proofOfWork)
{
    public ClientAddressResolver Clients => clients;

    /// <summary>
    /// An email or an identifier is counted per client first, so that a stranger spends their own allowance, not the
    /// victim's; the higher ceiling per subject alone, counted only for requests their client allowed, bounds a
    /// spread-out attack without letting one client reach it. Then the proof of work, once the limits let it by.
    /// </summary>
    public async Task<ApiProblem?> BeforeStartAsync(ClientContext client, CreateSignupRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        string? email = EmailSubject(request.LoginEmail);
        string? identifier = IdentifierSubject(request.IdentifierType, request.Identifier);
        return await throttle.CheckAsync(
            [
                (RatePolicy.SignupPerIp, client.RateKey),
                (RatePolicy.SignupPerEmail, email is null ? null : $"{email}|{client.RateKey}"),
                (RatePolicy.SignupPerIdentifier, identifier is null ? null : $"{identifier}|{client.RateKey}"),
                (RatePolicy.SignupPerEmailGlobal, email),
                (RatePolicy.SignupPerIdentifierGlobal, identifier),
            ],
            cancellationToken)
            ?? await proofOfWork.VerifyAsync(request.ProofOfWork, idempotencyKey, cancellationToken);
    }

    public async Task AfterStartAsync(ClientContext client, CreateSignupRequest request, Outcome<SignupEntity> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Value is { } signup)
        {
            await audit.RecordAsync(signup.SignupId, AuditEvent.Started, client);
        }
        else if (outcome.Problem?.Code == ErrorCodes.EmailTaken && EmailSubject(request.LoginEmail) is { } email)
        {
            await notifier.NotifyAsync(email, client, cancellationToken);
        }
    }

    /// <summary>
    /// Per client and per signup first; then, for a signup that exists, per destination mailbox across all signups
    /// (so the row is read only for requests the cheaper limits let through).
    /// </summary>
    public async Task<ApiProblem?> BeforeResendAsync(ClientContext client, string? signupId, CancellationToken cancellationToken)
    {
        bool wellFormed = SignupService.IsWellFormedId(signupId);
        if (await throttle.CheckAsync(
            [
                (RatePolicy.ResendPerIp, client.RateKey),
                (RatePolicy.ResendPerSignup, wellFormed ? signupId : null),
            ],
            cancellationToken) is { } limited)
        {
            return limited;
        }

        if (!wellFormed || await signups.GetAsync(signupId!, cancellationToken) is not { } signup || signup.Status != SignupStatus.AwaitingActivation)
        {
            return null;
        }

        return await throttle.CheckAsync(RatePolicy.ResendPerMailbox, MailboxKey.Of(signup.LoginEmail), cancellationToken)
            ?? await throttle.CheckEmailBudgetAsync(firstActivation: false, cancellationToken);
    }

    /// <summary>Step 3 owes a first activation email: it may use the global budget's reserve.</summary>
    public Task<ApiProblem?> BeforeFirstLinkAsync(CancellationToken cancellationToken) =>
        throttle.CheckEmailBudgetAsync(firstActivation: true, cancellationToken);

    /// <summary>Any request on a signup (GET, PUT, DELETE): replays and polling cost a count, not storage writes.</summary>
    public Task<ApiProblem?> BeforeSignupRequestAsync(HttpRequest request, string? signupId, CancellationToken cancellationToken) =>
        throttle.CheckAsync(
            [
                (RatePolicy.SignupRequestPerIp, clients.Resolve(request).RateKey),
                (RatePolicy.SignupRequestPerSignup, SignupService.IsWellFormedId(signupId) ? signupId : null),
            ],
            cancellationToken);

    public async Task AfterResendAsync(ClientContext client, Outcome<SignupEntity> outcome)
    {
        if (outcome.Value is { } signup)
        {
            await audit.RecordAsync(signup.SignupId, AuditEvent.Resend, client);
        }
    }

    /// <summary>The normalised email, when it is one at all (a malformed value is refused by the service anyway).</summary>
    static string? EmailSubject(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > EmailAddress.MaxLength + 16)
        {
            return null;
        }

        string normalized = EmailAddress.Normalize(email);
        return EmailAddress.IsValid(normalized) ? normalized : null;
    }

    static string? IdentifierSubject(string? type, string? identifier)
    {
        if (string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(identifier) || type.Length > 32 || identifier.Length > 64)
        {
            return null;
        }

        return $"{type.Trim()}:{string.Concat(identifier.Where(c => !char.IsWhiteSpace(c) && c != '.' && c != '-')).ToUpperInvariant()}";
    }
}
