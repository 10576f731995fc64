using ChorusFunctions.Activation;
using ChorusFunctions.Http;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.RateLimits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Security.Lockout;

/// <summary>Activation lockout settings (<c>Lockout__*</c>).</summary>
public sealed class LockoutOptions
{
    public const string Section = "Lockout";

    /// <summary>Refused activation attempts on one signup (wrong confirmation, weak password, missing answer…) before it is locked.</summary>
    public int MaxFailedActivations { get; set; } = 5;

    /// <summary>
    /// Unknown activation links (well-formed tokens that match no link) from one client address before that address
    /// is locked out of activation. Malformed tokens cannot be right and are not counted.
    /// </summary>
    public int MaxUnknownTokens { get; set; } = 20;

    /// <summary>The window in which failures are counted.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a lockout lasts.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsValid => MaxFailedActivations >= 1 && MaxUnknownTokens >= 1
        && FailureWindow >= TimeSpan.FromSeconds(1) && FailureWindow <= TimeSpan.FromDays(1)
        && Duration >= TimeSpan.FromSeconds(1) && Duration <= TimeSpan.FromDays(1);
}

public enum ActivationAction
{
    /// <summary>GET: the activation page's summary.</summary>
    View,

    /// <summary>POST: password and secret question.</summary>
    Activate,

    /// <summary>POST …/deactivation: "Désactiver mon compte".</summary>
    Deactivate,
}

/// <summary>What the guard learnt before the request, for use after it.</summary>
/// <param name="TokenWellFormed">The token has the shape of a real one (43 base64url characters): only those can be guesses.</param>
public sealed record ActivationAttempt(ClientContext Client, ActivationAction Action, string? SignupId, bool TokenWellFormed, bool TokenKnown);

/// <summary>
/// Rate limits, lockout and audit of the activation endpoints. Guessing is stopped twice: a client address that
/// presents too many unknown links is locked out of activation, and a signup whose link sees too many refused
/// attempts is locked (both for <c>Lockout__Duration</c>). Counters and locks live in Table Storage, so they hold
/// across instances.
/// </summary>
public sealed partial class ActivationGuard(
    RequestThrottle throttle,
    ActivationTokenStore tokens,
    RateCounterStore counters,
    SecurityMarkStore marks,
    AuditTrail audit,
    SecurityKeys keys,
    ClientAddressResolver clients,
    IOptions<LockoutOptions> options,
    TimeProvider time,
    ILogger<ActivationGuard> logger)
{
    public const string SignupLock = "lock-signup";
    public const string ClientLock = "lock-client";
    const string SignupFailures = "ActivationFailures";
    const string UnknownTokens = "UnknownTokens";

    public ClientAddressResolver Clients => clients;

    /// <summary>Rate limits and locks, before the activation service runs. A problem means: answer it and stop.</summary>
    public async Task<Outcome<ActivationAttempt>> BeforeAsync(ClientContext client, string? token, ActivationAction action, CancellationToken cancellationToken)
    {
        string? tokenSubject = action == ActivationAction.View || string.IsNullOrEmpty(token) ? null : token.Length > 64 ? token[..64] : token;
        if (await throttle.CheckAsync([(RatePolicy.ActivationPerIp, client.RateKey), (RatePolicy.ActivationPerToken, tokenSubject)], cancellationToken) is { } limited)
        {
            return limited;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (await marks.HeldUntilAsync(ClientLock, ClientSubject(client), cancellationToken) is { } clientLockedUntil)
        {
            return SecurityProblems.ActivationLocked(clientLockedUntil - now);
        }

        bool wellFormed = ActivationTokens.LooksValid(token);
        ActivationTokenEntity? row = wellFormed ? await tokens.GetAsync(ActivationTokens.Hash(token!), cancellationToken) : null;
        if (row is not null && action != ActivationAction.View
            && await marks.HeldUntilAsync(SignupLock, row.SignupId, cancellationToken) is { } signupLockedUntil)
        {
            return SecurityProblems.ActivationLocked(signupLockedUntil - now);
        }

        return new ActivationAttempt(client, action, row?.SignupId, wellFormed, row is not null);
    }

    /// <summary>Counts failures, locks when a threshold is reached, and records the audit events.</summary>
    public async Task AfterAsync(ActivationAttempt attempt, ApiProblem? problem, CancellationToken cancellationToken)
    {
        LockoutOptions settings = options.Value;
        if (problem is null)
        {
            if (attempt.SignupId is { } activated && attempt.Action != ActivationAction.View)
            {
                await audit.RecordAsync(activated, attempt.Action == ActivationAction.Activate ? AuditEvent.Activation : AuditEvent.Deactivation, attempt.Client);
            }

            return;
        }

        if (attempt.TokenWellFormed && !attempt.TokenKnown && problem.Code == ErrorCodes.LinkInvalid)
        {
            await CountUnknownLinkAsync(attempt.Client, cancellationToken);
            return;
        }

        if (attempt.SignupId is not { } signupId || attempt.Action == ActivationAction.View)
        {
            return;
        }

        await audit.RecordAsync(signupId, AuditEvent.FailedActivation, attempt.Client, problem.Code);
        if (problem.Code != ErrorCodes.ValidationFailed)
        {
            return;
        }

        WindowCount failures = await counters.IncrementAsync(SignupFailures, signupId, settings.FailureWindow, settings.MaxFailedActivations, cancellationToken);
        if (failures.Count >= settings.MaxFailedActivations && await marks.TryClaimAsync(SignupLock, signupId, time.GetUtcNow() + settings.Duration, cancellationToken))
        {
            LogSignupLocked(signupId, settings.MaxFailedActivations);
            await audit.RecordAsync(signupId, AuditEvent.Lockout, attempt.Client, "failed activations");
        }
    }

    /// <summary>
    /// Joining-request decision links can be guessed like activation links: they share the per-address and per-link
    /// limits and the unknown-link lockout. A problem means: answer it and stop.
    /// </summary>
    public async Task<ApiProblem?> BeforeDecisionLinkAsync(ClientContext client, string? token, CancellationToken cancellationToken)
    {
        string? tokenSubject = string.IsNullOrEmpty(token) ? null : token.Length > 64 ? token[..64] : token;
        if (await throttle.CheckAsync([(RatePolicy.ActivationPerIp, client.RateKey), (RatePolicy.ActivationPerToken, tokenSubject)], cancellationToken) is { } limited)
        {
            return limited;
        }

        return await marks.HeldUntilAsync(ClientLock, ClientSubject(client), cancellationToken) is { } lockedUntil
            ? SecurityProblems.ActivationLocked(lockedUntil - time.GetUtcNow())
            : null;
    }

    /// <summary>Runs a joining-request link's request between <see cref="BeforeDecisionLinkAsync"/> and <see cref="AfterDecisionLinkAsync"/>.</summary>
    public async Task<Outcome<T>> GuardDecisionLinkAsync<T>(HttpRequest request, string token, Func<Task<Outcome<T>>> run, CancellationToken cancellationToken)
    {
        ClientContext client = clients.Resolve(request);
        if (await BeforeDecisionLinkAsync(client, token, cancellationToken) is { } refused)
        {
            return refused;
        }

        Outcome<T> outcome = await run();
        await AfterDecisionLinkAsync(client, token, outcome.Problem, cancellationToken);
        return outcome;
    }

    /// <summary>A well-formed decision link that matches no request counts toward the client's unknown-link lockout.</summary>
    public Task AfterDecisionLinkAsync(ClientContext client, string? token, ApiProblem? problem, CancellationToken cancellationToken) =>
        problem is { Code: ErrorCodes.JoinRequestLinkInvalid, Extensions: null } && ActivationTokens.LooksValid(token)
            ? CountUnknownLinkAsync(client, cancellationToken)
            : Task.CompletedTask;

    async Task CountUnknownLinkAsync(ClientContext client, CancellationToken cancellationToken)
    {
        LockoutOptions settings = options.Value;
        string subject = ClientSubject(client);
        WindowCount count = await counters.IncrementAsync(UnknownTokens, subject, settings.FailureWindow, settings.MaxUnknownTokens, cancellationToken);
        if (count.Count >= settings.MaxUnknownTokens && await marks.TryClaimAsync(ClientLock, subject, time.GetUtcNow() + settings.Duration, cancellationToken))
        {
            LogClientLocked(settings.MaxUnknownTokens);
            await audit.RecordAsync(AuditTrail.ClientPartition(keys.ClientHash(client)), AuditEvent.Lockout, client, "unknown links");
        }
    }

    string ClientSubject(ClientContext client) => keys.Pseudonym("client", client.RateKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: activation locked after {Count} refused attempts")]
    partial void LogSignupLocked(string signupId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A client address was locked out of activation after {Count} unknown links")]
    partial void LogClientLocked(int count);
}
