using ChorusFunctions.Accounts;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>The gestionnaire principal sees, approves or refuses a joining request once; a refused or lapsed requester may ask again.</summary>
public sealed partial class JoinRequestService(
    JoinRequestStore requests,
    JoinRequestLifecycle lifecycle,
    SignupStore signups,
    SignupStateMachine machine,
    SignupWatch watch,
    StructureStore structures,
    AccountStore accounts,
    IOptions<StructuresOptions> options,
    TimeProvider time,
    ILogger<JoinRequestService> logger)
{
    sealed record Resolved(JoinRequestEntity Request, SignupEntity Requester, StructureEntity? Structure);

    public async Task<Outcome<JoinRequestView>> GetAsync(string token, CancellationToken cancellationToken)
    {
        Outcome<Resolved> resolved = await ResolveAsync(token, cancellationToken);
        return resolved.Problem is { } problem ? problem : View(resolved.Value!);
    }

    /// <summary>How long the same decision, sent again (a lost answer, a double click), gets the first answer.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromMinutes(10);

    public async Task<Outcome<JoinRequestView>> DecideAsync(string token, JoinRequestStatus decision, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        Outcome<Resolved> resolved = await ResolveAsync(token, cancellationToken, retriedDecision: decision);
        if (resolved.Problem is { } problem)
        {
            return problem;
        }

        string requestId = resolved.Value!.Request.RequestId;
        if (resolved.Value.Request.Status != decision)
        {
            JoinRequestStatus? status = await requests.TryDecideAsync(requestId, decision, now, cancellationToken);
            if (status != decision)
            {
                // Another decision, or the deadline, won the compare-and-swap: the link was already spent.
                return LinkInvalid(status);
            }

            LogDecided(requestId, decision);
        }

        // Applied and told again on a retry: the first request may have stopped right after its decision.
        JoinRequestEntity decided = (await requests.GetAsync(requestId, cancellationToken))!;
        await lifecycle.ApplyOutcomeAsync(decided, cancellationToken);
        if (resolved.Value.Requester.CurrentJoinRequestId == requestId)
        {
            // A replayed decision of a request since renewed must not end the renewed one, which waits in a new instance.
            await durable.RaiseEventAsync(JoinRequestOrchestrator.InstanceIdOf(resolved.Value.Requester), JoinRequestOrchestrator.DecidedEvent,
                new JoinRequestDecided(decision, (decided.DecidedAt ?? now).UtcDateTime), cancellationToken);
        }
        return View(resolved.Value with { Request = decided });
    }

    /// <summary>
    /// The renewal link of a refused or lapsed request files the next one (<c>{signupId}-r{n}</c>), driven by a new
    /// orchestration instance of the signup (its next generation), as the first one was: emailed to the gestionnaire
    /// principal with its number, lapsing at its own deadline. Sent again once filed, it answers the same.
    /// </summary>
    public async Task<Outcome<JoinRenewalView>> RenewAsync(string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        StructuresOptions settings = options.Value;
        JoinRequestTokenEntity? link = ActivationTokens.LooksValid(token) ? await requests.GetTokenAsync(ActivationTokens.Hash(token), cancellationToken) : null;
        JoinRequestEntity? request = link is null ? null : await requests.GetAsync(link.RequestId, cancellationToken);
        if (request is null || link!.ExpiresAt <= now || link.PartitionKey != ActivationTokens.Hash(lifecycle.RenewalTokenOf(request.RequestId)))
        {
            return LinkInvalid(null);
        }

        string signupId = JoinRequestIds.SignupIdOf(request.RequestId);
        int attempt = JoinRequestIds.AttemptOf(request.RequestId);
        SignupEntity? signup = await signups.GetAsync(signupId, cancellationToken);
        AccountEntity? account = await accounts.GetAsync(signupId, cancellationToken);
        if (signup is null || account?.Status != AccountStatus.Active || signup.Role != MemberRole.Utilisateur)
        {
            return LinkInvalid(null);
        }

        var renewal = new JoinRenewalView(attempt + 1, settings.MaxJoinRequests);
        if (signup.JoinAttempt == attempt + 1 && signup.Membership == MembershipStatus.PendingApproval)
        {
            // Sent again while the request it filed waits: the same answer.
            return renewal;
        }

        if (signup.JoinAttempt != attempt || request.Status is not (JoinRequestStatus.Refused or JoinRequestStatus.Lapsed))
        {
            return RenewalSpent(request.Status);
        }

        if (attempt >= settings.MaxJoinRequests)
        {
            return RenewalsExhausted(settings.MaxJoinRequests);
        }

        DateTimeOffset allowedFrom = (request.DecidedAt ?? now) + settings.JoinRequestCoolDown;
        if (allowedFrom > now)
        {
            return SecurityProblems.RateLimited(allowedFrom - now) with
            {
                Detail = $"Vous pourrez renouveler votre demande de rattachement à partir du {Email.EmailComposer.FormatDate(allowedFrom, "fr")} (heure de Paris).",
            };
        }

        // Booked first: a host that dies after the renewal still leaves a look, which starts the instance.
        await watch.BookLookAsync(signupId, cancellationToken);
        Transition renewed = await machine.RenewJoinRequestAsync(signupId, attempt, cancellationToken);
        if (!renewed.Applied || renewed.Row is not { } row)
        {
            // A concurrent click renewed it first, or the account changed meanwhile.
            return renewed.Row?.JoinAttempt == attempt + 1 ? renewal : RenewalSpent(request.Status);
        }

        await watch.StartAsync(row, durable, cancellationToken);
        LogRenewed(signupId, attempt + 1);
        return renewal;
    }

    /// <summary>A real renewal link whose request was renewed already (or whose account moved on): how it ended.</summary>
    static ApiProblem RenewalSpent(JoinRequestStatus status) => LinkInvalid(status) with
    {
        Detail = "Cette demande de rattachement a déjà été renouvelée, ou n'est plus à renouveler.",
    };

    static ApiProblem RenewalsExhausted(int max) => ApiProblem.Of(409, ErrorCodes.JoinRequestsExhausted, "Plus de demande de rattachement possible",
        $"Vous avez déjà déposé {max} demandes de rattachement à cette structure, le maximum : vous ne pouvez plus en déposer. Adressez-vous à son gestionnaire principal ou au support du portail.");

    /// <summary>
    /// A link works while its request is pending and unexpired (or, the same decision sent again, decided as
    /// <paramref name="retriedDecision"/> within <see cref="RetryWindow"/>), and the gestionnaire principal it was sent to
    /// is still the structure's. Anything else answers 410; a real link of a finished request says how it ended.
    /// </summary>
    async Task<Outcome<Resolved>> ResolveAsync(string token, CancellationToken cancellationToken, JoinRequestStatus? retriedDecision = null)
    {
        if (!ActivationTokens.LooksValid(token))
        {
            return LinkInvalid(null);
        }

        JoinRequestTokenEntity? link = await requests.GetTokenAsync(ActivationTokens.Hash(token), cancellationToken);
        JoinRequestEntity? request = link is null ? null : await requests.GetAsync(link.RequestId, cancellationToken);
        SignupEntity? requester = request is null ? null : await signups.GetAsync(JoinRequestIds.SignupIdOf(request.RequestId), cancellationToken);
        if (request is null || requester is null || request.TokenHash != link!.PartitionKey)
        {
            return LinkInvalid(null);
        }

        bool retry = retriedDecision is not null && request.Status == retriedDecision && request.DecidedAt > time.GetUtcNow() - RetryWindow;
        if (request.Status != JoinRequestStatus.Pending && !retry)
        {
            return LinkInvalid(request.Status);
        }

        if (!retry && request.ExpiresAt <= time.GetUtcNow())
        {
            return LinkInvalid(JoinRequestStatus.Lapsed);
        }

        MemberEntity? gestionnaire = await structures.GetMemberAsync(request.StructureKey, request.GestionnaireAccountId, cancellationToken);
        AccountEntity? account = await accounts.GetAsync(request.GestionnaireAccountId, cancellationToken);
        if (gestionnaire?.Role != MemberRole.GestionnairePrincipal || account?.Status != AccountStatus.Active)
        {
            return LinkInvalid(null);
        }

        return new Resolved(request, requester, await structures.GetAsync(request.StructureKey, cancellationToken));
    }

    static JoinRequestView View(Resolved r) => new(
        r.Request.Status,
        r.Request.CreatedAt,
        r.Request.ExpiresAt,
        r.Request.DecidedAt,
        new JoinRequesterView(r.Requester.LastName ?? "", r.Requester.FirstName ?? "", r.Requester.LoginEmail, r.Requester.ContactEmail ?? r.Requester.LoginEmail),
        new JoinRequestStructureView(r.Requester.IdentifierType.ToString(), r.Requester.Identifier, r.Structure?.CompanyName ?? r.Requester.CompanyName));

    static ApiProblem LinkInvalid(JoinRequestStatus? status) => ApiProblem.Of(410, ErrorCodes.JoinRequestLinkInvalid, "Lien de rattachement invalide",
        status switch
        {
            JoinRequestStatus.Approved => "Cette demande de rattachement a déjà été acceptée.",
            JoinRequestStatus.Refused => "Cette demande de rattachement a déjà été refusée.",
            JoinRequestStatus.Lapsed => "Cette demande de rattachement a expiré : elle est classée sans suite.",
            _ => "Ce lien de rattachement n'est pas valide ou a déjà été utilisé.",
        })
        with { Extensions = status is null ? null : new() { ["requestStatus"] = status.ToString() } };

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: joining request renewed (attempt {Attempt})")]
    partial void LogRenewed(string signupId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joining request {RequestId}: {Decision} by the gestionnaire principal")]
    partial void LogDecided(string requestId, JoinRequestStatus decision);
}
