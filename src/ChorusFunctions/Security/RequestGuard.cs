using ChorusFunctions.Email;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Security;

/// <summary>What a request brings that its policy counts or checks; each trigger fills in what it has.</summary>
public sealed record GuardSubjects(
    string? SignupId = null,
    string? Token = null,
    string? LoginEmail = null,
    string? IdentifierType = null,
    string? Identifier = null,
    ProofOfWorkSolution? ProofOfWork = null,
    string? IdempotencyKey = null,
    bool TextCaptcha = false);

/// <summary>What the guard needs of a signup; the signup feature, above this one, provides it.</summary>
public interface ISignupAccess
{
    /// <summary>Null when the request brings the signup's owner cookie; otherwise the unknown-id 404.</summary>
    Task<ApiProblem?> CheckOwnerAsync(HttpRequest request, string signupId, CancellationToken cancellationToken);

    /// <summary>Sets a new signup's owner cookie on the answer.</summary>
    void SetOwner(HttpRequest request, string signupId);

    /// <summary>The login email of a signup that awaits activation (a new link's destination), or null.</summary>
    Task<string?> LinkMailboxAsync(string signupId, CancellationToken cancellationToken);
}

/// <summary>A call's result that is a signup: the guard audits it and sets its cookie.</summary>
public interface ISignupResult
{
    string SignupId { get; }
}

/// <summary>Runs a function's <see cref="GuardPolicy"/> around its call; the first refusal is the answer.</summary>
public sealed class RequestGuard(
    RequestThrottle throttle,
    ClientAddressResolver clients,
    ISignupAccess signups,
    LinkLockout lockout,
    ProofOfWorkService proofOfWork,
    ExistingAccountNotifier notifier,
    AuditTrail audit)
{
    public async Task<Outcome<T>> RunAsync<T>(string function, HttpRequest request, GuardSubjects subjects, Func<Task<Outcome<T>>> call, CancellationToken cancellationToken)
    {
        GuardPolicy policy = GuardPolicies.ByFunction[function];
        using ReadOnce.Scope reads = ReadOnce.Begin(); // the cookie's read of the signup serves the call too
        ClientContext client = clients.Resolve(request);
        if (await throttle.CheckAsync(policy.Limits.Select(l => (l.Policy, SubjectOf(l.Subject, client, subjects))), cancellationToken) is { } limited)
        {
            return limited;
        }

        if (policy.Cookie && await signups.CheckOwnerAsync(request, subjects.SignupId!, cancellationToken) is { } notOwner)
        {
            return notOwner;
        }

        ActivationAttempt? attempt = null;
        if (policy.Link == LinkRule.Activation)
        {
            Outcome<ActivationAttempt> before = await lockout.BeforeActivationAsync(client, subjects.Token, policy.Action, cancellationToken);
            if (before.Problem is { } locked)
            {
                return locked;
            }

            attempt = before.Value;
        }

        if (await EmailBudgetAsync(policy.Email, client, subjects.SignupId, cancellationToken) is { } overBudget)
        {
            return overBudget;
        }

        if (policy.ProofOfWork && await proofOfWork.VerifyAsync(subjects.ProofOfWork, subjects.IdempotencyKey, cancellationToken) is { } unproven)
        {
            return unproven;
        }

        Outcome<T> outcome = await call();
        if (attempt is not null)
        {
            await lockout.AfterActivationAsync(attempt, outcome.Problem, cancellationToken);
        }

        if (policy.Link == LinkRule.UnknownLink
            && outcome.Problem is { Code: ErrorCodes.JoinRequestLinkInvalid or ErrorCodes.ContactVerificationLinkInvalid, Extensions: null }
            && await lockout.AfterUnknownLinkAsync(client, subjects.Token, cancellationToken) is { } lockedOut)
        {
            return lockedOut;
        }

        if (outcome.Value is ISignupResult signup)
        {
            if (policy.Audit is { } auditEvent)
            {
                await audit.RecordAsync(signup.SignupId, auditEvent, client);
            }

            if (policy.SetsCookie)
            {
                signups.SetOwner(request, signup.SignupId);
            }
        }
        else if (policy.TakenEmailNotice && outcome.Problem?.Code == ErrorCodes.EmailTaken && EmailSubject(subjects.LoginEmail) is { } email)
        {
            await notifier.NotifyAsync(email, client, cancellationToken);
        }

        return outcome;
    }

    async Task<ApiProblem?> EmailBudgetAsync(EmailRule rule, ClientContext client, string? signupId, CancellationToken cancellationToken)
    {
        if (rule == EmailRule.FirstLink)
        {
            return await throttle.CheckEmailBudgetAsync(firstActivation: true, cancellationToken);
        }

        if (rule != EmailRule.NewLink)
        {
            return null;
        }

        bool wellFormed = SignupIds.IsWellFormed(signupId);
        if (await throttle.CheckAsync([(RatePolicy.ResendPerIp, client.RateKey), (RatePolicy.ResendPerSignup, wellFormed ? signupId : null)], cancellationToken) is { } limited)
        {
            return limited;
        }

        if (!wellFormed || await signups.LinkMailboxAsync(signupId!, cancellationToken) is not { } mailbox)
        {
            return null;
        }

        return await throttle.CheckAsync(RatePolicy.ResendPerMailbox, MailboxKey.Of(mailbox), cancellationToken)
            ?? await throttle.CheckEmailBudgetAsync(firstActivation: false, cancellationToken);
    }

    static string? SubjectOf(Per per, ClientContext client, GuardSubjects subjects) => per switch
    {
        Per.Client => client.RateKey,
        Per.ClientOfTextCaptcha => subjects.TextCaptcha ? client.RateKey : null,
        Per.Signup => SignupIds.IsWellFormed(subjects.SignupId) ? subjects.SignupId : null,
        Per.Token => string.IsNullOrEmpty(subjects.Token) ? null : subjects.Token.Length > 64 ? subjects.Token[..64] : subjects.Token,
        Per.EmailAndClient => EmailSubject(subjects.LoginEmail) is { } email ? $"{email}|{client.RateKey}" : null,
        Per.IdentifierAndClient => IdentifierSubject(subjects) is { } identifier ? $"{identifier}|{client.RateKey}" : null,
        Per.Email => EmailSubject(subjects.LoginEmail),
        Per.Identifier => IdentifierSubject(subjects),
        _ => throw new ArgumentOutOfRangeException(nameof(per), per, null),
    };

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

    static string? IdentifierSubject(GuardSubjects subjects) =>
        subjects is not { IdentifierType: { } type, Identifier: { } identifier }
            || string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(identifier) || type.Length > 32 || identifier.Length > 64
            ? null
            : $"{type.Trim()}:{string.Concat(identifier.Where(c => !char.IsWhiteSpace(c) && c != '.' && c != '-')).ToUpperInvariant()}";
}
