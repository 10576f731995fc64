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
    AuditTrail audit,
    TimeProvider time)
{
    public async Task<Outcome<T>> RunAsync<T>(string function, HttpRequest request, GuardSubjects subjects, Func<Task<Outcome<T>>> call, CancellationToken cancellationToken)
    {
        GuardPolicy policy = GuardPolicies.ByFunction[function];
        using ReadOnce.Scope reads = ReadOnce.Begin(); // the cookie's read of the signup serves the call too
        ClientContext client = clients.Resolve(request);
        if (await throttle.CheckAsync(policy.Limits.Select(limit => (limit, SubjectOf(limit, client, subjects))), cancellationToken) is { } limited)
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

        DateTimeOffset called = time.GetUtcNow();
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
                await audit.RecordAsync(signup.SignupId, auditEvent, client, occurredAt: called);
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
        if (rule != EmailRule.NewLink)
        {
            return rule == EmailRule.FirstLink ? await throttle.CheckEmailBudgetAsync(firstActivation: true, cancellationToken) : null;
        }

        bool wellFormed = SignupIds.IsWellFormed(signupId);
        if (await throttle.CheckAsync([(RatePolicy.ResendPerIp, client.RateKey), (RatePolicy.ResendPerSignup, wellFormed ? signupId : null)], cancellationToken) is { } limited)
        {
            return limited;
        }

        return wellFormed && await signups.LinkMailboxAsync(signupId!, cancellationToken) is { } mailbox
            ? await throttle.CheckAsync(RatePolicy.ResendPerMailbox, MailboxKey.Of(mailbox), cancellationToken) ?? await throttle.CheckEmailBudgetAsync(firstActivation: false, cancellationToken)
            : null;
    }

    /// <summary>Whose allowance a limit counts, as its name says: a client, a signup, a link, or an email or identifier (per client, or all together).</summary>
    static string? SubjectOf(RatePolicy limit, ClientContext client, GuardSubjects subjects) => limit switch
    {
        RatePolicy.SignupPerIp or RatePolicy.SignupRequestPerIp or RatePolicy.ActivationPerIp or RatePolicy.CaptchaPerIp
            or RatePolicy.PasswordStrengthPerIp or RatePolicy.StructureLookupPerIp => client.RateKey,
        RatePolicy.TextCaptchaPerIp => subjects.TextCaptcha ? client.RateKey : null,
        RatePolicy.SignupRequestPerSignup => SignupIds.IsWellFormed(subjects.SignupId) ? subjects.SignupId : null,
        RatePolicy.ActivationPerToken => string.IsNullOrEmpty(subjects.Token) ? null : subjects.Token.Length > 64 ? subjects.Token[..64] : subjects.Token,
        RatePolicy.SignupPerEmail => EmailSubject(subjects.LoginEmail) is { } email ? $"{email}|{client.RateKey}" : null,
        RatePolicy.SignupPerIdentifier => IdentifierSubject(subjects) is { } identifier ? $"{identifier}|{client.RateKey}" : null,
        RatePolicy.SignupPerEmailGlobal => EmailSubject(subjects.LoginEmail),
        RatePolicy.SignupPerIdentifierGlobal => IdentifierSubject(subjects),
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };

    /// <summary>The normalised email, when it is one at all (a malformed value is refused by the service anyway).</summary>
    static string? EmailSubject(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Length <= EmailAddress.MaxLength + 16 && EmailAddress.Normalize(email) is var normalized && EmailAddress.IsValid(normalized)
            ? normalized
            : null;

    static string? IdentifierSubject(GuardSubjects subjects) =>
        subjects is not { IdentifierType: { } type, Identifier: { } identifier }
            || string.IsNullOrWhiteSpace(type) || string.IsNullOrWhiteSpace(identifier) || type.Length > 32 || identifier.Length > 64
            ? null
            : $"{type.Trim()}:{string.Concat(identifier.Where(c => !char.IsWhiteSpace(c) && c != '.' && c != '-')).ToUpperInvariant()}";
}

/// <summary>Which link lockout a function is under.</summary>
internal enum LinkRule
{
    None,

    /// <summary>Activation links: the token's row is read first, so locks refuse before the service runs.</summary>
    Activation,

    /// <summary>Decision and verification links: only the service knows a link matches nothing, so the lock applies after it.</summary>
    UnknownLink,
}

/// <summary>Which email a request may make the service send, counted against the global email budget.</summary>
internal enum EmailRule
{
    None,

    /// <summary>Step 3's first activation email: it may use the budget's reserve.</summary>
    FirstLink,

    /// <summary>A new link: per client and signup first; the mailbox and budget only then (they read the row).</summary>
    NewLink,
}

/// <summary>What guards one function; <see cref="RequestGuard"/> runs it in one order for all.</summary>
/// <param name="Cookie">The signup's owner cookie, checked after the limits that read nothing and before any that reads the signup: it says nothing to whoever lacks it.</param>
/// <param name="SetsCookie">A success sets the new signup's cookie on the answer.</param>
/// <param name="Limits">Counted in this order; whose allowance each counts is in its name (<see cref="RequestGuard"/>).</param>
internal sealed record GuardPolicy(
    RatePolicy[] Limits,
    bool Cookie = false,
    LinkRule Link = LinkRule.None,
    ActivationAction Action = ActivationAction.View,
    EmailRule Email = EmailRule.None,
    bool ProofOfWork = false,
    AuditEvent? Audit = null,
    bool TakenEmailNotice = false,
    bool SetsCookie = false);

/// <summary>Every guarded HTTP function's policy, keyed by function name.</summary>
internal static class GuardPolicies
{
    /// <summary>The second half of a renewal by link: the new link, once the first half found its signup.</summary>
    public const string NewLinkByToken = "RenewActivationLink.NewLink";

    /// <summary>Any request on a signup (GET, PUT, DELETE): replays and polling cost a count, not storage writes.</summary>
    static readonly RatePolicy[] SignupRequest = [RatePolicy.SignupRequestPerIp, RatePolicy.SignupRequestPerSignup];

    static readonly RatePolicy[] LinkView = [RatePolicy.ActivationPerIp];

    static readonly RatePolicy[] LinkAttempt = [RatePolicy.ActivationPerIp, RatePolicy.ActivationPerToken];

    static readonly GuardPolicy DecisionLink = new(LinkAttempt, Link: LinkRule.UnknownLink);

    public static IReadOnlyDictionary<string, GuardPolicy> ByFunction { get; } = new Dictionary<string, GuardPolicy>
    {
        // Per client first, so a stranger spends their own allowance, not the victim's; the higher ceiling per subject
        // alone bounds a spread-out attack.
        ["CreateSignup"] = new(
            [RatePolicy.SignupPerIp, RatePolicy.SignupPerEmail, RatePolicy.SignupPerIdentifier, RatePolicy.SignupPerEmailGlobal, RatePolicy.SignupPerIdentifierGlobal],
            ProofOfWork: true, Audit: AuditEvent.Started, TakenEmailNotice: true, SetsCookie: true),
        ["GetSignup"] = new(SignupRequest, Cookie: true),
        ["SubmitSignupDetails"] = new(SignupRequest, Cookie: true),
        ["SubmitSignupWorkspaces"] = new(SignupRequest, Cookie: true, Email: EmailRule.FirstLink),
        ["CancelSignup"] = new(SignupRequest, Cookie: true),
        ["ResendActivationEmail"] = new([], Cookie: true, Email: EmailRule.NewLink, Audit: AuditEvent.Resend),

        // An unknown link counts toward the client's lockout, as on the link's page; the new link then has the
        // limits of one asked for by cookie.
        ["RenewActivationLink"] = new(LinkView, Link: LinkRule.Activation, Action: ActivationAction.View),
        [NewLinkByToken] = new([], Email: EmailRule.NewLink, Audit: AuditEvent.Resend),
        ["GetActivation"] = new(LinkView, Link: LinkRule.Activation, Action: ActivationAction.View),
        ["ActivateAccount"] = new(LinkAttempt, Link: LinkRule.Activation, Action: ActivationAction.Activate),
        ["DeactivateAccount"] = new(LinkAttempt, Link: LinkRule.Activation, Action: ActivationAction.Deactivate),
        ["GetJoinRequest"] = DecisionLink,
        ["ApproveJoinRequest"] = DecisionLink,
        ["RefuseJoinRequest"] = DecisionLink,
        ["RenewJoinRequest"] = DecisionLink,
        ["GetContactVerification"] = DecisionLink,
        ["ConfirmContactVerification"] = DecisionLink,

        // Both captcha kinds count against one limit; a question, easier for a script, also against its own.
        ["CreateCaptcha"] = new([RatePolicy.CaptchaPerIp, RatePolicy.TextCaptchaPerIp]),
        ["CheckPasswordStrength"] = new([RatePolicy.PasswordStrengthPerIp]),

        // Each lookup may call a register with a small quota (INSEE).
        ["GetStructure"] = new([RatePolicy.StructureLookupPerIp]),
    };
}
