using ChorusFunctions.Accounts;
using ChorusFunctions.Http;
using ChorusFunctions.Security.Passwords;
using ChorusFunctions.Signup;
using ChorusFunctions.Telemetry;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.Activation;

/// <summary>Step 4: the activation link's page, activating the account, or closing it ("Désactiver mon compte").</summary>
public sealed partial class ActivationService(
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
        var errors = new FieldErrors();
        ValidatedActivation? activation = Validate(request, PasswordContext.Of(signup), errors);
        if (activation is null)
        {
            LogActivationRefused(signup.SignupId);
            return errors.ToProblem();
        }

        // Hashed before the compare-and-swap: a slow hash must not hold the decision.
        string passwordHash = SecretHasher.HashPassword(activation.Password);
        string answerHash = SecretHasher.Hash(SecretHasher.NormalizeAnswer(activation.SecretAnswer));
        await watch.BookLookAsync(signup.SignupId, cancellationToken);
        AccountStatus? status = await machine.ActivateAsync(signup.SignupId, link.Value.Hash, passwordHash, activation.SecretQuestion, answerHash, cancellationToken);
        if (status != AccountStatus.Active)
        {
            // Expiry, a deactivation or a concurrent activation won the compare-and-swap.
            LogActivationTooLate(signup.SignupId, status?.ToString() ?? "missing");
            return status is null ? LinkInvalid() : ApiProblem.SignupExpired();
        }

        await watch.ChangedAsync(signup, durable, cancellationToken);
        LogActivated(signup.SignupId);
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
        LogDeactivated(signup.SignupId);
        return new ActivationResult(signup.SignupId, SignupStatus.Cancelled);
    }

    /// <summary>
    /// The account this link already moved to <paramref name="status"/> within <see cref="RetryWindow"/>, if any: a
    /// request sent again after its answer was lost.
    /// </summary>
    async Task<AccountEntity?> FindRetryAsync(string token, AccountStatus status, CancellationToken cancellationToken)
    {
        if (!ActivationTokens.LooksValid(token))
        {
            return null;
        }

        string hash = ActivationTokens.Hash(token);
        ActivationTokenEntity? row = await tokens.GetAsync(hash, cancellationToken);
        AccountEntity? account = row is null ? null : await accounts.GetAsync(row.SignupId, cancellationToken);
        DateTimeOffset? decidedAt = status == AccountStatus.Active ? account?.ActivatedAt : account?.ClosedAt;
        return account is not null && account.DecidedByToken == hash && account.Status == status && decidedAt > time.GetUtcNow() - RetryWindow
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

        LogRetryAnswered(account.PartitionKey, account.Status.ToString());
        return new ActivationResult(account.PartitionKey, account.Status == AccountStatus.Active ? SignupStatus.Active : SignupStatus.Cancelled);
    }

    /// <summary>
    /// A link works only while it is the signup's current link, unexpired, and the signup awaits activation.
    /// A real but stale link says whether the signup can still send a new one; an unknown token says nothing more.
    /// </summary>
    async Task<Outcome<Link>> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } found)
        {
            return LinkInvalid();
        }

        (ActivationTokenEntity row, SignupEntity signup, string hash) = found;
        DateTimeOffset now = time.GetUtcNow();
        bool signupAlive = AwaitsActivation(signup, now);
        if (!signupAlive || row.ExpiresAt <= now || signup.CurrentTokenHash != hash)
        {
            return LinkInvalid(canRequestNewLink: signupAlive);
        }

        return new Link(row, signup, hash);
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
    async Task<(ActivationTokenEntity Row, SignupEntity Signup, string Hash)?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!ActivationTokens.LooksValid(token))
        {
            return null;
        }

        string hash = ActivationTokens.Hash(token);
        ActivationTokenEntity? row = await tokens.GetAsync(hash, cancellationToken);
        SignupEntity? signup = row is null ? null : await signups.GetAsync(row.SignupId, cancellationToken);
        return row is null || signup is null ? null : (row, signup, hash);
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

    sealed record ValidatedActivation(string Password, string SecretQuestion, string SecretAnswer);

    static ValidatedActivation? Validate(ActivateAccountRequest request, PasswordContext passwordContext, FieldErrors errors)
    {
        string password = request.Password ?? "";
        if (password.Length == 0)
        {
            errors.Add("password", "Saisissez un mot de passe.");
        }
        else
        {
            // The guide's policy, common passwords, and the user's own names refused.
            foreach (string rule in PasswordScreen.UnmetRules(password, passwordContext))
            {
                errors.Add("password", PasswordScreen.Message(rule));
            }
        }

        if (request.PasswordConfirmation != request.Password)
        {
            errors.Add("passwordConfirmation", "La confirmation ne correspond pas au mot de passe.");
        }

        string? question = errors.Text("secretQuestion", request.SecretQuestion, 200, required: true, "Question secrète");
        if (question is { Length: < 3 })
        {
            errors.Add("secretQuestion", "La question secrète doit comporter au moins 3 caractères.");
        }

        string? answer = errors.Text("secretAnswer", request.SecretAnswer, 100, required: true, "Réponse");
        if (answer is not null && SecretHasher.NormalizeAnswer(answer).Length < 2)
        {
            errors.Add("secretAnswer", "La réponse doit comporter au moins 2 caractères.");
        }

        return errors.Any ? null : new ValidatedActivation(password, question!, answer!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: account activated")]
    partial void LogActivated(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: activation refused by validation")]
    partial void LogActivationRefused(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: activation arrived after the signup ended ({Status})")]
    partial void LogActivationTooLate(string signupId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: account closed by its owner before activation")]
    partial void LogDeactivated(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: the same request came again; answered as the first time ({Status})")]
    partial void LogRetryAnswered(string signupId, string status);
}
