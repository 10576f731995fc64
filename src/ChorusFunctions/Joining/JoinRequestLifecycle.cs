using ChorusFunctions.Accounts;
using ChorusFunctions.Email;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>A joining request's side effects, each idempotent: activities are retried, and the HTTP decision applies the outcome too.</summary>
public sealed partial class JoinRequestLifecycle(
    JoinRequestStore requests,
    StructureStore structures,
    SignupStore signups,
    SignupStateMachine machine,
    AccountStore accounts,
    ActivationTokens tokenFactory,
    IEmailSender emailSender,
    EmailComposer composer,
    ContactEmailVerification contactVerification,
    IOptions<StructuresOptions> options,
    TimeProvider time,
    ILogger<JoinRequestLifecycle> logger)
{
    public const string TokenPurpose = "join-request";
    public const string RenewalPurpose = "join-request-renewal";

    /// <summary>The decision link's token, derived from the request: a retried or repaired request sends the same link.</summary>
    string TokenOf(string requestId) => tokenFactory.Derive(requestId, TokenPurpose);

    public string RenewalTokenOf(string requestId) => tokenFactory.Derive(requestId, RenewalPurpose);

    public async Task<JoinRequestOpened> OpenAsync(string requestId, CancellationToken cancellationToken)
    {
        SignupEntity signup = await signups.GetAsync(JoinRequestIds.SignupIdOf(requestId), cancellationToken)
            ?? throw new InvalidOperationException($"The signup of joining request {requestId} does not exist.");
        MemberEntity? gestionnaire = await structures.FindGestionnaireAsync(signup.StructureKey, cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        JoinRequestEntity request = await requests.CreateAsync(new JoinRequestEntity
        {
            PartitionKey = requestId,
            StructureKey = signup.StructureKey,
            GestionnaireAccountId = gestionnaire?.AccountId ?? "",
            Status = JoinRequestStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + options.Value.JoinRequestDeadline,
            TokenHash = ActivationTokens.Hash(TokenOf(requestId)),
        }, cancellationToken);

        if (request.Status == JoinRequestStatus.Pending)
        {
            // A renewal: the member row, refused or lapsed by the previous request, waits again.
            await structures.UpdateMemberStatusAsync(signup.StructureKey, signup.SignupId, MembershipStatus.PendingApproval, cancellationToken);
        }

        LogOpened(requestId, request.GestionnaireAccountId.Length > 0);
        return new JoinRequestOpened(request.ExpiresAt.UtcDateTime, request.Status, request.GestionnaireAccountId.Length > 0);
    }

    /// <summary>
    /// Emails the decision links, which show the requester's name and addresses, to the gestionnaire principal's login
    /// address: the one its activation proved. The contact address gets the same email once verified by its own link;
    /// until then it gets that link instead (see <see cref="ContactEmailVerification"/>).
    /// </summary>
    public async Task<bool> SendRequestEmailAsync(string requestId, CancellationToken cancellationToken)
    {
        JoinRequestEntity? request = await requests.GetAsync(requestId, cancellationToken);
        string token = TokenOf(requestId);
        if (request is null || request.Status != JoinRequestStatus.Pending || request.TokenHash != ActivationTokens.Hash(token))
        {
            return false;
        }

        AccountEntity? gestionnaire = await accounts.GetAsync(request.GestionnaireAccountId, cancellationToken);
        SignupEntity? requester = await signups.GetAsync(JoinRequestIds.SignupIdOf(request.RequestId), cancellationToken);
        StructureEntity? structure = await structures.GetAsync(request.StructureKey, cancellationToken);
        if (gestionnaire is null || requester is null || structure is null)
        {
            return false;
        }

        string link = $"{options.Value.JoinRequestUrlBase}?token={Uri.EscapeDataString(token)}";
        EmailMessage MessageTo(EmailRecipient recipient, bool contact) => composer.JoiningRequest(
            recipient,
            request.RequestId,
            $"{requester.FirstName} {requester.LastName}".Trim(),
            requester.LoginEmail, // the requester's address proven by their activation, not one they only typed
            structure.CompanyName ?? structure.Identifier,
            structure.IdentifierType.ToString(),
            structure.Identifier,
            new Uri(link + "&decision=approval"),
            new Uri(link + "&decision=refusal"),
            request.ExpiresAt,
            JoinRequestIds.AttemptOf(request.RequestId),
            options.Value.MaxJoinRequests,
            contact);
        await emailSender.SendAsync(MessageTo(
            EmailRecipient.Named(gestionnaire.LoginEmail, gestionnaire.FirstName, gestionnaire.LastName, gestionnaire.Language), false), cancellationToken);
        LogRequestEmailed(request.RequestId);
        if (ContactEmailVerification.VerifiedContact(structure, gestionnaire) is { } verified)
        {
            await emailSender.SendAsync(MessageTo(verified, true), cancellationToken);
            LogRequestEmailedToContact(request.RequestId);
            return true;
        }

        try
        {
            await contactVerification.SendIfUnverifiedAsync(structure.PartitionKey, gestionnaire, request.RequestId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The request went out; the verification link is sent again with the next one.
            LogContactVerificationFailed(request.RequestId, ex.GetType().Name);
        }

        return true;
    }

    public async Task<JoinRequestStatus> LapseAsync(string requestId, CancellationToken cancellationToken) =>
        await requests.TryDecideAsync(requestId, JoinRequestStatus.Lapsed, time.GetUtcNow(), cancellationToken)
        ?? throw new InvalidOperationException($"Joining request {requestId} does not exist.");

    /// <summary>
    /// Applies the decided status (lapsing a request still pending). The link row stays until the request's deadline
    /// (the cleanup deletes it then), so that a late click answers how the request ended. Returns the status.
    /// </summary>
    public async Task<JoinRequestStatus> CompleteAsync(string requestId, CancellationToken cancellationToken)
    {
        JoinRequestEntity request = await requests.GetAsync(requestId, cancellationToken)
            ?? throw new InvalidOperationException($"Joining request {requestId} does not exist.");
        if (request.Status == JoinRequestStatus.Pending)
        {
            await LapseAsync(requestId, cancellationToken);
            request = (await requests.GetAsync(requestId, cancellationToken))!;
        }

        await ApplyOutcomeAsync(request, cancellationToken);
        if (!request.Completed)
        {
            await requests.MarkCompletedAsync(request, cancellationToken);
        }

        return request.Status;
    }

    /// <summary>The member row and the signup's <c>membership</c> follow the request's decided status.</summary>
    public async Task ApplyOutcomeAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        MembershipStatus? membership = request.Status switch
        {
            JoinRequestStatus.Approved => MembershipStatus.Active,
            JoinRequestStatus.Refused => MembershipStatus.Refused,
            JoinRequestStatus.Lapsed => MembershipStatus.Lapsed,
            _ => null,
        };

        // A decision replayed after a renewal (a retried activity, the same click within the retry window) must not
        // undo the renewal: only the signup's current request has a say.
        string signupId = JoinRequestIds.SignupIdOf(request.RequestId);
        if (membership is not { } status || (await signups.GetAsync(signupId, cancellationToken))?.CurrentJoinRequestId != request.RequestId)
        {
            return;
        }

        await structures.UpdateMemberStatusAsync(request.StructureKey, signupId, status, cancellationToken);
        await machine.SetMembershipAsync(request.RequestId, status, cancellationToken);
    }

    public async Task<bool> SendOutcomeEmailAsync(string requestId, CancellationToken cancellationToken)
    {
        JoinRequestEntity? request = await requests.GetAsync(requestId, cancellationToken);
        SignupEntity? requester = await signups.GetAsync(JoinRequestIds.SignupIdOf(requestId), cancellationToken);
        if (request is null || requester is null || request.Status == JoinRequestStatus.Pending)
        {
            return false;
        }

        JoiningDecision decision = request.Status switch
        {
            JoinRequestStatus.Approved => JoiningDecision.Approved,
            JoinRequestStatus.Refused => JoiningDecision.Refused,
            _ => JoiningDecision.Lapsed,
        };
        // To the login address, proven by the activation: the email carries the account's renewal link, and a
        // contact address was only typed, never proven.
        var to = EmailRecipient.Named(requester.LoginEmail, requester.FirstName, requester.LastName, requester.Language);
        int attempt = JoinRequestIds.AttemptOf(requestId);
        JoiningRenewal? renewal = decision != JoiningDecision.Approved && attempt < options.Value.MaxJoinRequests
            ? await RenewalLinkAsync(request, cancellationToken)
            : null;
        // The structure as the register names it on the requester's own signup, never as its gestionnaire typed it.
        await emailSender.SendAsync(composer.JoiningDecided(to, requestId, requester.CompanyName ?? requester.Identifier, decision,
            attempt, options.Value.MaxJoinRequests, renewal), cancellationToken);
        LogOutcomeEmailed(requestId, request.Status);
        return true;
    }

    /// <summary>
    /// The refused or lapsed requester's way back: a link of its own (token derived from the request, only its hash
    /// stored, deleted by the cleanup when it expires) to ask again once the cool-down has passed.
    /// </summary>
    async Task<JoiningRenewal> RenewalLinkAsync(JoinRequestEntity request, CancellationToken cancellationToken)
    {
        DateTimeOffset decidedAt = request.DecidedAt ?? time.GetUtcNow();
        string token = RenewalTokenOf(request.RequestId);
        DateTimeOffset expiresAt = await requests.SaveLinkAsync(ActivationTokens.Hash(token), request.RequestId, decidedAt + options.Value.RenewalLinkLifetime, cancellationToken);
        return new JoiningRenewal(new Uri($"{options.Value.JoinRequestUrlBase}?renewal={Uri.EscapeDataString(token)}"),
            decidedAt + options.Value.JoinRequestCoolDown, expiresAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joining request {RequestId} filed (gestionnaire principal known: {HasGestionnaire})")]
    partial void LogOpened(string requestId, bool hasGestionnaire);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joining request {RequestId}: decision links sent to the gestionnaire principal")]
    partial void LogRequestEmailed(string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joining request {RequestId}: decision links sent to the verified contact address too")]
    partial void LogRequestEmailedToContact(string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Joining request {RequestId}: the contact address verification email failed ({ErrorType})")]
    partial void LogContactVerificationFailed(string requestId, string errorType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joining request {RequestId}: requester told the outcome ({Status})")]
    partial void LogOutcomeEmailed(string requestId, JoinRequestStatus status);
}
