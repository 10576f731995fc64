namespace ChorusFunctions.Security.RateLimits;

/// <summary>One limit: at most <see cref="PermitLimit"/> requests per fixed <see cref="Window"/>.</summary>
public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }

    public bool IsValid => PermitLimit is >= 1 and <= 1_000_000 && Window >= TimeSpan.FromSeconds(1) && Window <= TimeSpan.FromDays(1);

    public static RateLimitRule Of(int permitLimit, TimeSpan window) => new() { PermitLimit = permitLimit, Window = window };
}

/// <summary>Rate limits (<c>RateLimits__SignupPerIp__PermitLimit</c>, <c>…__Window</c>): generous enough for a whole office.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Switches every rate limit off (not the activation lockout).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Also count in Table Storage, so a limit holds across instances.</summary>
    public bool Distributed { get; set; } = true;

    /// <summary>
    /// The most instances that count at once (the Function App's scale-out ceiling). Each may allow a share of a
    /// rule without asking the shared counter (<see cref="FreeShareOf"/>); the counter keeps that much back for them.
    /// </summary>
    public int Instances { get; set; } = 40;

    /// <summary>Step 1 (POST /api/signups) per client address.</summary>
    public RateLimitRule SignupPerIp { get; set; } = RateLimitRule.Of(120, TimeSpan.FromMinutes(1));

    /// <summary>Step 1 per login email and client address.</summary>
    public RateLimitRule SignupPerEmail { get; set; } = RateLimitRule.Of(30, TimeSpan.FromMinutes(10));

    /// <summary>Step 1 per structure identifier (SIRET…) and client address.</summary>
    public RateLimitRule SignupPerIdentifier { get; set; } = RateLimitRule.Of(60, TimeSpan.FromMinutes(10));

    /// <summary>Step 1 per login email, all clients together: the ceiling a spread-out attack meets.</summary>
    public RateLimitRule SignupPerEmailGlobal { get; set; } = RateLimitRule.Of(300, TimeSpan.FromMinutes(10));

    /// <summary>Step 1 per structure identifier, all clients together (a large company's staff included).</summary>
    public RateLimitRule SignupPerIdentifierGlobal { get; set; } = RateLimitRule.Of(1000, TimeSpan.FromMinutes(10));

    public RateLimitRule ResendPerIp { get; set; } = RateLimitRule.Of(30, TimeSpan.FromMinutes(1));

    /// <summary>New activation links per signup (each one sends an email to an address nobody verified yet).</summary>
    public RateLimitRule ResendPerSignup { get; set; } = RateLimitRule.Of(3, TimeSpan.FromHours(1));

    /// <summary>New links per destination mailbox (<see cref="MailboxKey"/>): many signups cannot flood one victim.</summary>
    public RateLimitRule ResendPerMailbox { get; set; } = RateLimitRule.Of(10, TimeSpan.FromDays(1));

    /// <summary>Requests on signups (GET, PUT details and workspaces, DELETE) per client address.</summary>
    public RateLimitRule SignupRequestPerIp { get; set; } = RateLimitRule.Of(600, TimeSpan.FromMinutes(1));

    /// <summary>Requests on one signup (GET, PUT details and workspaces, DELETE): replays and polling included.</summary>
    public RateLimitRule SignupRequestPerSignup { get; set; } = RateLimitRule.Of(300, TimeSpan.FromMinutes(1));

    /// <summary>Activation requests (GET, POST, deactivation) per client address.</summary>
    public RateLimitRule ActivationPerIp { get; set; } = RateLimitRule.Of(120, TimeSpan.FromMinutes(1));

    /// <summary>Activation attempts (POST, deactivation) per link.</summary>
    public RateLimitRule ActivationPerToken { get; set; } = RateLimitRule.Of(30, TimeSpan.FromMinutes(10));

    public RateLimitRule CaptchaPerIp { get; set; } = RateLimitRule.Of(60, TimeSpan.FromMinutes(1));

    /// <summary>New text captchas per client address, on top of <see cref="CaptchaPerIp"/>: easier for a script.</summary>
    public RateLimitRule TextCaptchaPerIp { get; set; } = RateLimitRule.Of(12, TimeSpan.FromMinutes(10));

    /// <summary>Password strength checks per client address (the page asks as the user types).</summary>
    public RateLimitRule PasswordStrengthPerIp { get; set; } = RateLimitRule.Of(600, TimeSpan.FromMinutes(1));

    /// <summary>Structure lookups before step 1 per client address (each may call a company register).</summary>
    public RateLimitRule StructureLookupPerIp { get; set; } = RateLimitRule.Of(120, TimeSpan.FromMinutes(1));

    /// <summary>Emails asked for from outside (first activation links at step 3, new links), all signups together.</summary>
    public RateLimitRule EmailsPerMinute { get; set; } = RateLimitRule.Of(600, TimeSpan.FromMinutes(1));

    /// <summary>The part of <see cref="EmailsPerMinute"/> that only first activation emails may use.</summary>
    public int EmailReserve { get; set; } = 150;

    /// <summary>Each policy's rule is the property of its name (<see cref="RatePolicy"/>).</summary>
    static readonly FrozenDictionary<RatePolicy, Func<RateLimitOptions, RateLimitRule>> Rules = Enum.GetValues<RatePolicy>().ToFrozenDictionary(
        policy => policy, policy => typeof(RateLimitOptions).GetProperty(policy.ToString())!.GetMethod!.CreateDelegate<Func<RateLimitOptions, RateLimitRule>>());

    public RateLimitRule RuleOf(RatePolicy policy) => Rules[policy](this);

    /// <summary>
    /// What one instance allows of a limit before it asks the shared counter: a quarter of the limit split among
    /// <see cref="Instances"/>, rounded down (0 for small limits, which stay counted in storage only).
    /// </summary>
    public int FreeShareOf(int limit) => limit / (4 * Instances);

    /// <summary>What the shared counter hands out: the limit less every instance's free share, so that all of them together stay within it.</summary>
    public int SharedLimitOf(int limit) => limit - (Instances * FreeShareOf(limit));

    public bool IsValid() => Enum.GetValues<RatePolicy>().All(p => RuleOf(p) is { IsValid: true })
        && EmailReserve >= 0 && EmailReserve < EmailsPerMinute.PermitLimit && Instances is >= 1 and <= 1000;
}

/// <summary>What is counted; the name is the setting and the counter's row key prefix.</summary>
public enum RatePolicy
{
    SignupPerIp,
    SignupPerEmail,
    SignupPerIdentifier,
    SignupPerEmailGlobal,
    SignupPerIdentifierGlobal,
    ResendPerIp,
    ResendPerSignup,
    ResendPerMailbox,
    SignupRequestPerIp,
    SignupRequestPerSignup,
    ActivationPerIp,
    ActivationPerToken,
    CaptchaPerIp,
    TextCaptchaPerIp,
    PasswordStrengthPerIp,
    StructureLookupPerIp,
    EmailsPerMinute,
}
