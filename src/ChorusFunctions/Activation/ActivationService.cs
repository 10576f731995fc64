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

    sealed record Link(ActivationTokenEntity Token, SignupEntity Signup, string Hash);

    public async Task<Outcome<ActivationView>> GetAsync(string token, CancellationToken cancellationToken)
    {
        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        if (link.Problem is { } problem)
        {
            return problem;
        }

        SignupEntity s = link.Value!.Signup;
        return new ActivationView(s.LoginEmail, s.ContactEmail ?? s.LoginEmail, s.LastName ?? "", s.FirstName ?? "", s.CompanyName);
    }

    public async Task<Outcome<ActivationResult>> ActivateAsync(string token, ActivateAccountRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (await FindRetryAsync(token, AccountStatus.Active, cancellationToken) is { } first)
        {
            // The same activation again: the first answer, if it is the same request (checked against the stored hashes).
            return Matches(first, request) ? await AnswerRetryAsync(first, durable, cancellationToken) : LinkInvalid();
        }

        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        if (link.Problem is { } problem)
        {
            return problem;
        }

        SignupEntity signup = link.Value!.Signup;
        Outcome<ValidatedActivation> validated = ValidatedActivation.Validate(request, new PasswordContext(signup.LoginEmail, signup.LastName, signup.FirstName));
        if (validated.Problem is { } invalid)
        {
            logger.SignupEvent(LogLevel.Information, signup.SignupId, "activation refused by validation");
            return invalid;
        }

        ValidatedActivation activation = validated.Value!;

        // Hashed before the compare-and-swap: a slow hash must not hold the decision.
        string passwordHash = SecretHasher.HashPassword(activation.Password);
        string answerHash = SecretHasher.Hash(SecretHasher.NormalizeAnswer(activation.SecretAnswer));
        await watch.BookLookAsync(signup.SignupId, cancellationToken);
        AccountStatus? status = await machine.ActivateAsync(signup.SignupId, link.Value.Hash, passwordHash, activation.SecretQuestion, answerHash, cancellationToken);
        if (status != AccountStatus.Active)
        {
            // Expiry, a deactivation or a concurrent activation won the compare-and-swap.
            logger.ActivationTooLate(signup.SignupId, status?.ToString() ?? "missing");
            return status is null ? LinkInvalid() : ApiProblem.SignupExpired();
        }

        await watch.ChangedAsync(signup, durable, cancellationToken);
        logger.SignupEvent(LogLevel.Information, signup.SignupId, "account activated");
        return new ActivationResult(signup.SignupId, SignupStatus.Active);
    }

    public async Task<Outcome<ActivationResult>> DeactivateAsync(string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (await FindRetryAsync(token, AccountStatus.Cancelled, cancellationToken) is { } first)
        {
            return await AnswerRetryAsync(first, durable, cancellationToken);
        }

        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        if (link.Problem is { } problem)
        {
            return problem;
        }

        SignupEntity signup = link.Value!.Signup;
        await watch.BookLookAsync(signup.SignupId, cancellationToken);
        AccountStatus? status = await machine.DeactivateAsync(signup.SignupId, link.Value.Hash, cancellationToken);
        if (status != AccountStatus.Cancelled)
        {
            return status is null ? LinkInvalid() : ApiProblem.SignupExpired();
        }

        metrics.SignupCancelled(SignupStatus.AwaitingActivation.ToString());
        await watch.ChangedAsync(signup, durable, cancellationToken);
        logger.SignupEvent(LogLevel.Information, signup.SignupId, "account closed by its owner before activation");
        return new ActivationResult(signup.SignupId, SignupStatus.Cancelled);
    }

    /// <summary>
    /// The account this link already moved to <paramref name="status"/> within <see cref="RetryWindow"/>, if any: a
    /// request sent again after its answer was lost.
    /// </summary>
    async Task<AccountEntity?> FindRetryAsync(string token, AccountStatus status, CancellationToken cancellationToken)
    {
        if (await FindTokenAsync(token, cancellationToken) is not { } found)
        {
            return null;
        }

        AccountEntity? account = await accounts.GetAsync(found.Row.SignupId, cancellationToken);
        DateTimeOffset? decidedAt = status == AccountStatus.Active ? account?.ActivatedAt : account?.ClosedAt;
        return account is not null && account.DecidedByToken == found.Hash && account.Status == status && decidedAt > time.GetUtcNow() - RetryWindow
            ? account
            : null;
    }

    static bool Matches(AccountEntity account, ActivateAccountRequest request) =>
        request.Password is { Length: > 0 } password && account.PasswordHash is { } passwordHash && SecretHasher.VerifyPassword(password, passwordHash)
        && request.SecretQuestion?.Trim() == account.SecretQuestion
        && request.SecretAnswer is { } answer && account.SecretAnswerHash is { } answerHash && SecretHasher.Verify(SecretHasher.NormalizeAnswer(answer), answerHash);

    /// <summary>The first request may have stopped right after the decision: the signup follows and is woken again.</summary>
    async Task<Outcome<ActivationResult>> AnswerRetryAsync(AccountEntity account, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        Transition followed = await machine.FollowAccountAsync(account.PartitionKey, cancellationToken);
        if (followed.Row is { } signup && (followed.Applied || !signup.Finalized && !signup.Released))
        {
            await watch.ChangedAsync(signup, durable, cancellationToken);
        }

        logger.RetryAnswered(account.PartitionKey, account.Status);
        return new ActivationResult(account.PartitionKey, account.Status == AccountStatus.Active ? SignupStatus.Active : SignupStatus.Cancelled);
    }

    /// <summary>
    /// A link works only while it is the signup's current link, unexpired, and the signup awaits activation.
    /// A real but stale link says whether the signup can still send a new one; an unknown token says nothing more.
    /// </summary>
    async Task<Outcome<Link>> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } link)
        {
            return LinkInvalid();
        }

        DateTimeOffset now = time.GetUtcNow();
        bool signupAlive = AwaitsActivation(link.Signup, now);
        if (!signupAlive || link.Token.ExpiresAt <= now || link.Signup.CurrentTokenHash != link.Hash)
        {
            return LinkInvalid(canRequestNewLink: signupAlive);
        }

        return link;
    }

    /// <summary>
    /// The signup a link (current, replaced or expired) may ask a new link for: one awaiting activation. The id stays
    /// on the server; the caller learns only whether a new link can be asked for, as the link's page already says.
    /// </summary>
    public async Task<Outcome<string>> RenewableSignupAsync(string token, CancellationToken cancellationToken) =>
        await FindAsync(token, cancellationToken) is { } found && AwaitsActivation(found.Signup, time.GetUtcNow())
            ? found.Signup.SignupId
            : LinkInvalid(canRequestNewLink: false);

    /// <summary>The link's row and its signup, whatever their state; null for a token that names nothing.</summary>
    async Task<Link?> FindAsync(string token, CancellationToken cancellationToken) =>
        await FindTokenAsync(token, cancellationToken) is { } found && await signups.GetAsync(found.Row.SignupId, cancellationToken) is { } signup
            ? new Link(found.Row, signup, found.Hash)
            : null;

    async Task<(ActivationTokenEntity Row, string Hash)?> FindTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (!ActivationTokens.LooksValid(token))
        {
            return null;
        }

        string hash = ActivationTokens.Hash(token);
        return await tokens.GetAsync(hash, cancellationToken) is { } row ? (row, hash) : null;
    }

    static bool AwaitsActivation(SignupEntity signup, DateTimeOffset now) =>
        signup.Status == SignupStatus.AwaitingActivation && !SignupStateMachine.HasEnded(signup, now);

    /// <summary>A link that does not work. It never names the signup: a new link is asked for with the link itself.</summary>
    static ApiProblem LinkInvalid(bool canRequestNewLink = false) => new()
    {
        Title = "Lien d'activation invalide",
        Status = 410,
        Code = ErrorCodes.LinkInvalid,
        Detail = canRequestNewLink
            ? "Ce lien d'activation a expiré ou a été remplacé par un lien plus récent. Vous pouvez recevoir un nouveau lien."
            : "Ce lien d'activation n'est pas valide ou a déjà été utilisé.",
        Extensions = new() { ["canRequestNewLink"] = canRequestNewLink },
    };
}
