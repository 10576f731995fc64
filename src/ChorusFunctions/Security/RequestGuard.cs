using ChorusFunctions.Email;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Signup;

namespace ChorusFunctions.Security;

/// <summary>What a request brings that its policy counts or checks; each trigger fills in what it has.</summary>
public sealed record GuardSubjects(string? SignupId = null, string? Token = null, CreateSignupRequest? Start = null, string? IdempotencyKey = null, bool TextCaptcha = false);

/// <summary>
/// The one guard pipeline: runs a function's <see cref="GuardPolicy"/> around its call, in the same order for every
/// function. The first refusal is the answer and the call does not run.
/// </summary>
public sealed class RequestGuard(
    RequestThrottle throttle,
    ClientAddressResolver clients,
    SignupCookie cookie,
    SignupStore signups,
    LinkLockout lockout,
    ProofOfWorkService proofOfWork,
    ExistingAccountNotifier notifier,
    AuditTrail audit)
{
    public async Task<Outcome<T>> RunAsync<T>(string function, HttpRequest request, GuardSubjects subjects, Func<Task<Outcome<T>>> call, CancellationToken cancellationToken)
    {
        GuardPolicy policy = GuardPolicies.ByFunction[function];
        ClientContext client = clients.Resolve(request);
        if (await throttle.CheckAsync(policy.Limits.Select(l => (l.Policy, SubjectOf(l.Subject, client, subjects))), cancellationToken) is { } limited)
        {
            return limited;
        }

        if (policy.Cookie && await cookie.CheckAsync(request, subjects.SignupId!, cancellationToken) is { } notOwner)
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

        if (policy.ProofOfWork && await proofOfWork.VerifyAsync(subjects.Start?.ProofOfWork, subjects.IdempotencyKey, cancellationToken) is { } unproven)
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

        if (outcome.Value is SignupEntity signup)
        {
            if (policy.Audit is { } auditEvent)
            {
                await audit.RecordAsync(signup.SignupId, auditEvent, client);
            }

            if (policy.SetsCookie)
            {
                cookie.Set(request, signup.SignupId);
            }
        }
        else if (policy.TakenEmailNotice && outcome.Problem?.Code == ErrorCodes.EmailTaken && EmailSubject(subjects.Start?.LoginEmail) is { } email)
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

        bool wellFormed = SignupService.IsWellFormedId(signupId);
        if (await throttle.CheckAsync([(RatePolicy.ResendPerIp, client.RateKey), (RatePolicy.ResendPerSignup, wellFormed ? signupId : null)], cancellationToken) is { } limited)
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

    static string? SubjectOf(Per per, ClientContext client, GuardSubjects subjects) => per switch
    {
        Per.Client => client.RateKey,
        Per.ClientOfTextCaptcha => subjects.TextCaptcha ? client.RateKey : null,
        Per.Signup => SignupService.IsWellFormedId(subjects.SignupId) ? subjects.SignupId : null,
        Per.Token => string.IsNullOrEmpty(subjects.Token) ? null : subjects.Token.Length > 64 ? subjects.Token[..64] : subjects.Token,
        Per.EmailAndClient => EmailSubject(subjects.Start?.LoginEmail) is { } email ? $"{email}|{client.RateKey}" : null,
        Per.IdentifierAndClient => IdentifierSubject(subjects.Start) is { } identifier ? $"{identifier}|{client.RateKey}" : null,
        Per.Email => EmailSubject(subjects.Start?.LoginEmail),
        Per.Identifier => IdentifierSubject(subjects.Start),
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

    static string? IdentifierSubject(CreateSignupRequest? start)
    {
        if (start is not { IdentifierType: { } type, Identifier: { } identifier }
            || string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(identifier) || type.Length > 32 || identifier.Length > 64)
        {
            return null;
        }

        return $"{type.Trim()}:{string.Concat(identifier.Where(c => !char.IsWhiteSpace(c) && c != '.' && c != '-')).ToUpperInvariant()}";
    }
}
