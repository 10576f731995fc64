using ChorusFunctions.Accounts;
using ChorusFunctions.Security.Passwords;
using ChorusFunctions.Signup;
using ChorusFunctions.Telemetry;

namespace ChorusFunctions.Activation;

/// <summary>Step 4: the activation link's page, activating the account, or closing it ("Désactiver mon compte").</summary>
public sealed class ActivationService(
    ActivationTokenStore tokens,
    SignupStore signups,
    SignupStateMachine machine,
    AccountStore accounts,
    SignupMetrics metrics,
    SignupWatch watch,
    TimeProvider time,
    ILogger<ActivationService> logger)
{
    /// <summary>How long the same activation or deactivation, sent again (a lost answer), gets the first answer.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);

    /// <summary>A link's token row (keyed by the token's hash) and its signup.</summary>
    sealed record Link(ActivationTokenEntity Token, SignupEntity Signup)
    {
        public string Hash => Token.PartitionKey;
    }

    public async Task<Outcome<ActivationView>> GetAsync(string token, CancellationToken cancellationToken)
    {
        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        return link.Value?.Signup is { } s
            ? new ActivationView(s.LoginEmail, s.ContactEmail ?? s.LoginEmail, s.LastName ?? "", s.FirstName ?? "", s.CompanyName)
            : link.Problem!;
    }

    public async Task<Outcome<ActivationResult>> ActivateAsync(string token, ActivateAccountRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        // The same activation again gets the first answer, if it is the same request (checked against the stored hashes).
        Func<AccountEntity, bool> sameRequest = first => Matches(first, request);
        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        if (link.Problem is { } problem)
        {
            return await AnswerIfRetryAsync(token, AccountStatus.Active, sameRequest, durable, cancellationToken) ?? problem;
        }

        SignupEntity signup = link.Value!.Signup;
        Outcome<ValidatedActivation> validated = ValidatedActivation.Validate(request, new PasswordContext(signup.LoginEmail, signup.LastName, signup.FirstName));
        if (validated.Problem is { } invalid)
        {
            logger.SignupEvent(LogLevel.Information, signup.SignupId, "activation refused by validation");
            return invalid;
        }

        // Hashed before the compare-and-swap: a slow hash must not hold the decision.
        ValidatedActivation activation = validated.Value!;
        string passwordHash = SecretHasher.HashPassword(activation.Password);
        string answerHash = SecretHasher.Hash(SecretHasher.NormalizeAnswer(activation.SecretAnswer));
        return await DecideAsync(token, signup, AccountStatus.Active, sameRequest, durable, cancellationToken,
            () => machine.ActivateAsync(signup.SignupId, link.Value.Hash, passwordHash, activation.SecretQuestion, answerHash, cancellationToken));
    }

    public async Task<Outcome<ActivationResult>> DeactivateAsync(string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        return link.Problem is { } problem
            ? await AnswerIfRetryAsync(token, AccountStatus.Cancelled, _ => true, durable, cancellationToken) ?? problem
            : await DecideAsync(token, link.Value!.Signup, AccountStatus.Cancelled, _ => true, durable, cancellationToken,
                () => machine.DeactivateAsync(link.Value.Signup.SignupId, link.Value.Hash, cancellationToken));
    }

    /// <summary>
    /// The look is booked before the account's compare-and-swap decides; after it, the signup's turn (finalization or
    /// release, and the notice) runs here and the orchestration is woken with its step.
    /// </summary>
    async Task<Outcome<ActivationResult>> DecideAsync(string token, SignupEntity signup, AccountStatus decision, Func<AccountEntity, bool> sameRequest,
        DurableTaskClient durable, CancellationToken cancellationToken, Func<Task<AccountStatus?>> decide)
    {
        await watch.BookLookAsync(signup.SignupId, cancellationToken);
        AccountStatus? status = await decide();
        if (status != decision)
        {
            // Expiry, a deactivation or a concurrent activation won the compare-and-swap; or this very request, sent
            // twice, whose first copy won while the signup's row had not followed yet.
            logger.DecisionTooLate(signup.SignupId, decision, status?.ToString() ?? "missing");
            return await AnswerIfRetryAsync(token, decision, sameRequest, durable, cancellationToken)
                ?? (status is null ? LinkInvalid() : ApiProblem.SignupExpired());
        }

        if (decision == AccountStatus.Cancelled)
        {
            metrics.SignupCancelled(SignupStatus.AwaitingActivation.ToString());
        }

        await watch.AdvanceAndWakeAsync(signup, durable, cancellationToken);
        logger.SignupEvent(LogLevel.Information, signup.SignupId, decision == AccountStatus.Active ? "account activated" : "account closed by its owner before activation");
        return new ActivationResult(signup.SignupId, decision == AccountStatus.Active ? SignupStatus.Active : SignupStatus.Cancelled);
    }

    /// <summary>The account this link moved to <paramref name="status"/> within <see cref="RetryWindow"/>: a request sent again after its answer was lost.</summary>
    async Task<AccountEntity?> FindRetryAsync(string token, AccountStatus status, CancellationToken cancellationToken) =>
        await FindTokenAsync(token, cancellationToken) is { } found && await accounts.GetAsync(found.SignupId, cancellationToken) is { } account
            && account.DecidedByToken == found.PartitionKey && account.Status == status
            && (status == AccountStatus.Active ? account.ActivatedAt : account.ClosedAt) > time.GetUtcNow() - RetryWindow
            ? account
            : null;

    static bool Matches(AccountEntity account, ActivateAccountRequest request) =>
        request.Password is { Length: > 0 } password && account.PasswordHash is { } passwordHash && SecretHasher.VerifyPassword(password, passwordHash)
        && request.SecretQuestion?.Trim() == account.SecretQuestion
        && request.SecretAnswer is { } answer && account.SecretAnswerHash is { } answerHash && SecretHasher.Verify(SecretHasher.NormalizeAnswer(answer), answerHash);

    /// <summary>
    /// Null unless this link moved the account to <paramref name="status"/> within <see cref="RetryWindow"/>: then the
    /// first answer if <paramref name="sameRequest"/>, a dead link if not. Asked only once the link no longer works.
    /// </summary>
    async Task<Outcome<ActivationResult>?> AnswerIfRetryAsync(string token, AccountStatus status, Func<AccountEntity, bool> sameRequest, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (await FindRetryAsync(token, status, cancellationToken) is not { } first)
        {
            return null;
        }

        return sameRequest(first) ? await AnswerRetryAsync(first, durable, cancellationToken) : LinkInvalid();
    }

    /// <summary>The first request may have stopped right after the decision: the signup follows and is woken again.</summary>
    async Task<Outcome<ActivationResult>> AnswerRetryAsync(AccountEntity account, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        Transition followed = await machine.FollowAccountAsync(account.PartitionKey, cancellationToken);
        if (followed.Row is { } signup && (followed.Applied || !signup.Finalized && !signup.Released))
        {
            await watch.AdvanceAndWakeAsync(signup, durable, cancellationToken);
        }

        logger.RetryAnswered(account.PartitionKey, account.Status);
        return new ActivationResult(account.PartitionKey, account.Status == AccountStatus.Active ? SignupStatus.Active : SignupStatus.Cancelled);
    }

    /// <summary>Only the current, unexpired link of a signup awaiting activation works; a stale one says whether a new one can be asked for.</summary>
    async Task<Outcome<Link>> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } link)
        {
            return LinkInvalid();
        }

        DateTimeOffset now = time.GetUtcNow();
        bool signupAlive = SignupStateMachine.IsOpenAt(link.Signup, SignupStatus.AwaitingActivation, now);
        return signupAlive && link.Token.ExpiresAt > now && link.Signup.CurrentTokenHash == link.Hash ? link : LinkInvalid(canRequestNewLink: signupAlive);
    }

    /// <summary>The signup a link (current, replaced or expired) may ask a new link for; its id stays on the server.</summary>
    public async Task<Outcome<string>> RenewableSignupAsync(string token, CancellationToken cancellationToken) =>
        await FindAsync(token, cancellationToken) is { } found && SignupStateMachine.IsOpenAt(found.Signup, SignupStatus.AwaitingActivation, time.GetUtcNow())
            ? found.Signup.SignupId
            : LinkInvalid(canRequestNewLink: false);

    /// <summary>The link's row and its signup, whatever their state; null for a token that names nothing.</summary>
    async Task<Link?> FindAsync(string token, CancellationToken cancellationToken) =>
        await FindTokenAsync(token, cancellationToken) is { } found && await signups.GetAsync(found.SignupId, cancellationToken) is { } signup
            ? new Link(found, signup)
            : null;

    async Task<ActivationTokenEntity?> FindTokenAsync(string token, CancellationToken cancellationToken) =>
        ActivationTokens.LooksValid(token) ? await tokens.GetAsync(ActivationTokens.Hash(token), cancellationToken) : null;

    /// <summary>A link that does not work. It never names the signup: a new link is asked for with the link itself.</summary>
    static ApiProblem LinkInvalid(bool canRequestNewLink = false) => ApiProblem.Of(410, ErrorCodes.LinkInvalid, "Lien d'activation invalide",
        canRequestNewLink
            ? "Ce lien d'activation a expiré ou a été remplacé par un lien plus récent. Vous pouvez recevoir un nouveau lien."
            : "Ce lien d'activation n'est pas valide ou a déjà été utilisé.")
        with { Extensions = new() { ["canRequestNewLink"] = canRequestNewLink } };
}
