using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Security.RateLimits;

namespace ChorusFunctions.Security;

/// <summary>Whose allowance a rate limit counts.</summary>
internal enum Per
{
    Client,

    /// <summary>The client, for a text captcha only.</summary>
    ClientOfTextCaptcha,
    Signup,
    Token,
    EmailAndClient,
    IdentifierAndClient,
    Email,
    Identifier,
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
internal sealed record GuardPolicy(
    (RatePolicy Policy, Per Subject)[] Limits,
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
    static readonly (RatePolicy, Per)[] SignupRequest = [(RatePolicy.SignupRequestPerIp, Per.Client), (RatePolicy.SignupRequestPerSignup, Per.Signup)];

    static readonly (RatePolicy, Per)[] LinkView = [(RatePolicy.ActivationPerIp, Per.Client)];

    static readonly (RatePolicy, Per)[] LinkAttempt = [(RatePolicy.ActivationPerIp, Per.Client), (RatePolicy.ActivationPerToken, Per.Token)];

    static readonly GuardPolicy DecisionLink = new(LinkAttempt, Link: LinkRule.UnknownLink);

    public static IReadOnlyDictionary<string, GuardPolicy> ByFunction { get; } = new Dictionary<string, GuardPolicy>
    {
        // Per client first, so a stranger spends their own allowance, not the victim's; the higher ceiling per subject
        // alone bounds a spread-out attack.
        ["CreateSignup"] = new(
            [
                (RatePolicy.SignupPerIp, Per.Client),
                (RatePolicy.SignupPerEmail, Per.EmailAndClient),
                (RatePolicy.SignupPerIdentifier, Per.IdentifierAndClient),
                (RatePolicy.SignupPerEmailGlobal, Per.Email),
                (RatePolicy.SignupPerIdentifierGlobal, Per.Identifier),
            ],
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
        ["CreateCaptcha"] = new([(RatePolicy.CaptchaPerIp, Per.Client), (RatePolicy.TextCaptchaPerIp, Per.ClientOfTextCaptcha)]),
        ["CheckPasswordStrength"] = new([(RatePolicy.PasswordStrengthPerIp, Per.Client)]),

        // Each lookup may call a register with a small quota (INSEE).
        ["GetStructure"] = new([(RatePolicy.StructureLookupPerIp, Per.Client)]),
    };
}
