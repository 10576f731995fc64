using ChorusFunctions.Accounts;
using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.Activation;

/// <summary>Step 4: the activation link's page, activating the account, or closing it ("Désactiver mon compte").</summary>
public sealed partial class ActivationService(
    ActivationTokenStore tokens,
    SignupStore signups,
    AccountStore accounts,
    SignupLifecycle lifecycle,
    TimeProvider time,
    ILogger<ActivationService> logger)
{
    sealed record Link(ActivationTokenEntity Token, SignupEntity Signup);

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
        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        if (link.Problem is { } problem)
        {
            return problem;
        }

        SignupEntity signup = link.Value!.Signup;
        var errors = new FieldErrors();
        ValidatedActivation? activation = Validate(request, errors);
        if (activation is null)
        {
            LogActivationRefused(signup.SignupId);
            return errors.ToProblem();
        }

        // Hash before taking the token: a slow hash must not leave a used token behind a failed request.
        string passwordHash = SecretHasher.Hash(activation.Password);
        string answerHash = SecretHasher.Hash(SecretHasher.NormalizeAnswer(activation.SecretAnswer));

        if (!await tokens.TryMarkUsedAsync(link.Value.Token, time.GetUtcNow(), cancellationToken))
        {
            return LinkInvalid(null);
        }

        DateTimeOffset now = time.GetUtcNow();
        AccountStatus? status = await accounts.TryLeavePendingAsync(signup.SignupId, AccountStatus.Active, account =>
        {
            account.PasswordHash = passwordHash;
            account.SecretQuestion = activation.SecretQuestion;
            account.SecretAnswerHash = answerHash;
            account.ActivatedAt = now;
        }, cancellationToken);

        if (status != AccountStatus.Active)
        {
            // Expiry (or a deactivation) won the compare-and-swap: the link came too late.
            LogActivationTooLate(signup.SignupId, status?.ToString() ?? "missing");
            return ApiProblem.SignupExpired();
        }

        await lifecycle.FinalizeActivationAsync(signup.SignupId, cancellationToken);
        await durable.RaiseEventAsync(signup.SignupId, SignupEvents.ActivationCompleted, new ActivationCompleted(now.UtcDateTime), cancellationToken);
        LogActivated(signup.SignupId);
        return new ActivationResult(signup.SignupId, nameof(SignupStatus.Active));
    }

    public async Task<Outcome<ActivationResult>> DeactivateAsync(string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        Outcome<Link> link = await ResolveAsync(token, cancellationToken);
        if (link.Problem is { } problem)
        {
            return problem;
        }

        string signupId = link.Value!.Signup.SignupId;
        if (!await tokens.TryMarkUsedAsync(link.Value.Token, time.GetUtcNow(), cancellationToken))
        {
            return LinkInvalid(null);
        }

        AccountStatus? status = await accounts.TryLeavePendingAsync(signupId, AccountStatus.Cancelled, a => a.ClosedAt = time.GetUtcNow(), cancellationToken);
        if (status != AccountStatus.Cancelled)
        {
            return ApiProblem.SignupExpired();
        }

        // Released here, not only by the orchestration, so the email is free as soon as the user is told so.
        await lifecycle.EndAsync(signupId, SignupStatus.Cancelled, cancellationToken);
        await durable.RaiseEventAsync(signupId, SignupEvents.DeactivationRequested, new DeactivationRequested(time.GetUtcNow().UtcDateTime), cancellationToken);
        LogDeactivated(signupId);
        return new ActivationResult(signupId, nameof(SignupStatus.Cancelled));
    }

    /// <summary>
    /// A link works only while it is the signup's current link, unused, unexpired, and the signup awaits activation.
    /// A real but stale link says whether the signup can still send a new one; an unknown token says nothing more.
    /// </summary>
    async Task<Outcome<Link>> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (!ActivationTokens.LooksValid(token))
        {
            return LinkInvalid(null);
        }

        string hash = ActivationTokens.Hash(token);
        ActivationTokenEntity? row = await tokens.GetAsync(hash, cancellationToken);
        SignupEntity? signup = row is null ? null : await signups.GetAsync(row.SignupId, cancellationToken);
        if (row is null || signup is null)
        {
            return LinkInvalid(null);
        }

        DateTimeOffset now = time.GetUtcNow();
        bool signupAlive = signup.GetStatus() == SignupStatus.AwaitingActivation && signup.ExpiresAt > now;
        if (!signupAlive || row.UsedAt is not null || row.ExpiresAt <= now || signup.CurrentTokenHash != hash)
        {
            return LinkInvalid(signupAlive ? signup.SignupId : null);
        }

        return new Link(row, signup);
    }

    static ApiProblem LinkInvalid(string? aliveSignupId) => new()
    {
        Title = "Lien d'activation invalide",
        Status = 410,
        Code = ErrorCodes.LinkInvalid,
        Detail = aliveSignupId is null
            ? "Ce lien d'activation n'est pas valide ou a déjà été utilisé."
            : "Ce lien d'activation a expiré ou a été remplacé par un lien plus récent. Vous pouvez recevoir un nouveau lien.",
        Extensions = new()
        {
            ["canRequestNewLink"] = aliveSignupId is not null,
            ["signupId"] = aliveSignupId,
        },
    };

    sealed record ValidatedActivation(string Password, string SecretQuestion, string SecretAnswer);

    static ValidatedActivation? Validate(ActivateAccountRequest request, FieldErrors errors)
    {
        string password = request.Password ?? "";
        if (password.Length == 0)
        {
            errors.Add("password", "Saisissez un mot de passe.");
        }
        else
        {
            foreach (string rule in PasswordPolicy.UnmetRules(password))
            {
                errors.Add("password", PasswordPolicy.Message(rule));
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
}
