using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Email;
using ChorusFunctions.Structures;
using ChorusFunctions.Telemetry;

namespace ChorusFunctions.Signup;

/// <summary>Steps 1 to 3 of a signup and the request for a new activation link.</summary>
public sealed class SignupService(
    SignupStore signups,
    SignupStateMachine machine,
    SignupWatch watch,
    LoginEmails emails,
    StructureStore structures,
    IStructureDirectory directory,
    ICaptchaVerifier captcha,
    ActivationTokens ids,
    SignupMetrics metrics,
    IOptions<SignupOptions> options,
    TimeProvider time,
    ILogger<SignupService> logger)
{
    /// <summary>One message for every refused captcha answer, image or text: it says neither which nor why.</summary>
    public const string CaptchaRefusedMessage =
        "La réponse ne correspond pas à l'image ou à la question. Réessayez avec une nouvelle image ou une nouvelle question.";

    /// <summary>Step 1. An <c>Idempotency-Key</c> derives the signup id: a retry with the same body gets the same answer, another 422.</summary>
    public async Task<Outcome<SignupEntity>> StartAsync(CreateSignupRequest request, string language, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        Outcome<NewSignup> parsed = NewSignup.Parse(request, ids);
        if (parsed.Problem is { } problem)
        {
            return problem;
        }

        NewSignup start = parsed.Value!;
        string requestHash = start.HashWith(language);
        string signupId = idempotencyKey is null ? Guid.NewGuid().ToString("N") : ids.DeriveId(idempotencyKey, "idempotency-key");
        if (idempotencyKey is not null && await signups.GetAsync(signupId, cancellationToken) is { } earlier)
        {
            return Replay(earlier, requestHash);
        }

        // Step 1 holds nothing (no email, no structure): a stranger's step 1 with someone's address must not stop
        // theirs. Without enumeration protection, an address already held is refused here, as it would be at step 2.
        if (emails.RefuseTaken && await emails.IsTakenAsync(start.LoginEmail, signupId, time.GetUtcNow(), cancellationToken))
        {
            logger.SignupEvent(LogLevel.Information, signupId, "login email already in use");
            return LoginEmails.Taken();
        }

        Outcome<SignupEntity> signup = await NewRowAsync(start, signupId, language, idempotencyKey is null ? null : requestHash, cancellationToken);
        return signup.Problem is { } closed ? closed : await BeginAsync(signup.Value!, requestHash, cancellationToken);
    }

    /// <summary>The prefill is the register's only, for an existing structure too: never what its first user typed.</summary>
    async Task<Outcome<SignupEntity>> NewRowAsync(NewSignup start, string signupId, string language, string? requestHash, CancellationToken cancellationToken)
    {
        StructureIdentifier identifier = start.Identifier;
        // Independent reads, side by side: step 1's latency is theirs added otherwise.
        Task<StructureEntity?> known = structures.GetAsync(identifier.Key, cancellationToken);
        DirectoryLookup lookup = await directory.LookupAsync(identifier, cancellationToken);
        StructureEntity? existing = await known;
        if (lookup.Result == DirectoryResult.Closed)
        {
            return ApiProblem.Validation("identifier", StructureLookupService.ClosedMessage);
        }

        DateTimeOffset now = time.GetUtcNow();
        StructureAddress? prefill = lookup.Prefill;
        var signup = new SignupEntity
        {
            PartitionKey = signupId,
            Status = SignupStatus.AwaitingDetails,
            CreatedAt = now,
            ExpiresAt = now + options.Value.StepDeadline,
            LoginEmail = start.LoginEmail,
            Language = language,
            IdentifierType = identifier.Type,
            Identifier = identifier.Value,
            StructureKey = identifier.Key,
            Prefilled = prefill is not null,
            StructureExists = existing is not null,
            RequestHash = requestHash,
            OwnerHash = SignupCookie.HashFor(ids, signupId),
        };
        signup.SetAddress((prefill ?? StructureAddress.Empty) with { Country = prefill?.Country ?? identifier.Country });
        return signup;
    }

    /// <summary>
    /// Looks are booked before the row exists: the deadline's always, one soon after when a held address's owner is
    /// owed the notice. No orchestration yet: step 1 owes nothing, and until step 3 the looks are enough.
    /// </summary>
    async Task<Outcome<SignupEntity>> BeginAsync(SignupEntity signup, string requestHash, CancellationToken cancellationToken)
    {
        Task deadline = watch.BookDeadlineAsync(signup, cancellationToken);
        bool noticeOwed = !emails.RefuseTaken && await emails.IsHeldAsync(signup.LoginEmail, cancellationToken);
        await deadline;
        if (noticeOwed)
        {
            await watch.BookLookAsync(signup.SignupId, cancellationToken);
        }

        Transition started = await machine.StartAsync(signup, cancellationToken);
        if (!started.Applied)
        {
            return started.Row is { } raced ? Replay(raced, requestHash) : ApiProblem.SignupNotFound();
        }

        metrics.SignupStarted(signup.IdentifierType.ToString());
        logger.SignupStarted(signup.SignupId, signup.IdentifierType, signup.Prefilled, signup.StructureExists);
        return signup;
    }

    /// <summary>A retried step 1 (same key): the first answer. The row is all the first attempt did.</summary>
    Outcome<SignupEntity> Replay(SignupEntity earlier, string requestHash)
    {
        if (earlier.RequestHash != requestHash || earlier.Status != SignupStatus.AwaitingDetails || SignupStateMachine.HasEnded(earlier, time.GetUtcNow()))
        {
            return ApiProblem.IdempotencyKeyReused();
        }

        logger.SignupEvent(LogLevel.Information, earlier.SignupId, "step 1 sent again with its idempotency key; answered as the first time");
        return earlier;
    }

    public async Task<Outcome<SignupEntity>> GetAsync(string signupId, CancellationToken cancellationToken) =>
        await FindAsync(signupId, cancellationToken) is { } signup ? signup : ApiProblem.SignupNotFound();

    public async Task<Outcome<SignupEntity>> SubmitDetailsAsync(string signupId, SubmitDetailsRequest request, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        if (CheckAlive(signup) is { } problem)
        {
            return problem;
        }

        Outcome<SignupDetails> details = SignupDetails.Validate(request, signup!);
        if (details.Problem is { } invalid)
        {
            return invalid;
        }

        SignupStatus status = signup!.Status;
        if (status is SignupStatus.AwaitingWorkspaces or SignupStatus.AwaitingActivation && details.Value!.Matches(signup))
        {
            // The same details sent again are a replay: answered as the first time, at no cost.
            return signup;
        }

        if (status is not (SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces))
        {
            return ApiProblem.StepOutOfOrder(status.ToString());
        }

        // The captcha is single use: checked at step 2's first submission only, so corrections and retries need no new image.
        if (status == SignupStatus.AwaitingDetails && !await captcha.VerifyAsync(request.Captcha?.Id, request.Captcha?.Answer, cancellationToken))
        {
            return ApiProblem.Validation("captcha.answer", CaptchaRefusedMessage);
        }

        // The email is reserved once a human answered the captcha, and only after the row exists (since step 1): a
        // crash in between leaves a reservation that the signup's own retry keeps, or its expiry gives back.
        bool duplicate = status == SignupStatus.AwaitingDetails && !await emails.TryReserveAsync(signup.LoginEmail, signupId, time.GetUtcNow(), cancellationToken);
        if (duplicate)
        {
            logger.SignupEvent(LogLevel.Information, signupId, "login email already in use");
            if (emails.RefuseTaken)
            {
                return LoginEmails.Taken();
            }
        }

        Transition submitted = await machine.SubmitDetailsAsync(signupId, details.Value!.ApplyTo, options.Value.StepDeadline, duplicate, cancellationToken);
        if (!submitted.Applied)
        {
            return Refused(submitted);
        }

        // Not woken: step 2 owes it nothing. At step 1's deadline it reads the later one from the row and sleeps again.
        logger.SignupEvent(LogLevel.Information, signupId, "details submitted");
        return submitted.Row!;
    }

    public async Task<Outcome<SignupEntity>> SubmitWorkspacesAsync(string signupId, SubmitWorkspacesRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        Outcome<string> codes = request.Codes();
        if ((CheckAlive(signup) ?? codes.Problem) is { } problem)
        {
            return problem;
        }

        if (signup!.Status == SignupStatus.AwaitingActivation && signup.Workspaces == codes.Value)
        {
            // A replay. A link still owed is sent and the orchestration started, unless it runs: the first start may have
            // died with its host.
            if (SignupStateMachine.LinkOwed(signup))
            {
                await watch.AdvanceAndStartAsync(signup, durable, cancellationToken);
                return await signups.GetAsync(signupId, cancellationToken) ?? signup;
            }

            return signup;
        }

        if (signup.Status != SignupStatus.AwaitingWorkspaces)
        {
            return ApiProblem.StepOutOfOrder(signup.Status.ToString());
        }

        await watch.BookLookAsync(signupId, cancellationToken);
        Transition submitted = await machine.SubmitWorkspacesAsync(signupId, codes.Value!, options.Value.ActivationDeadline, ActivationTokens.Hash(ids.ActivationLink(signupId, 1)), cancellationToken);
        if (!submitted.Applied)
        {
            return Refused(submitted);
        }

        // The link is owed from now on: it is sent here while the orchestration starts. The look booked above, finding
        // it healthy, books the next one at the activation deadline.
        await watch.AdvanceAndStartAsync(submitted.Row!, durable, cancellationToken);
        logger.WorkspacesSubmitted(signupId, request.Workspaces!.Count);
        return await signups.GetAsync(signupId, cancellationToken) ?? submitted.Row!;
    }

    public async Task<Outcome<SignupEntity>> RequestNewLinkAsync(string signupId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        if (CheckAt(signup, SignupStatus.AwaitingActivation) is { } problem)
        {
            return problem;
        }

        // While a link is still owed, asking again changes nothing and wakes nobody.
        if (SignupStateMachine.LinkOwed(signup!))
        {
            return signup!;
        }

        int maxLinks = options.Value.MaxActivationLinks;
        Transition requested = new(signup, false);
        if (signup!.LinkRequested < maxLinks)
        {
            await watch.BookLookAsync(signupId, cancellationToken);
            requested = await machine.RequestLinkAsync(signupId, maxLinks, cancellationToken);
        }
        if (requested.Applied)
        {
            await watch.AdvanceAndWakeAsync(requested.Row!, durable, cancellationToken);
            logger.SignupEvent(LogLevel.Information, signupId, "new activation link requested");
            requested = new(await signups.GetAsync(signupId, cancellationToken) ?? requested.Row, true); // the row as the turn left it
        }
        else if (requested.Row is { } capped && capped.LinkRequested >= maxLinks && capped.LinkRequested <= capped.LinkSequence && CheckAlive(capped) is null)
        {
            // The signup's lifetime allowance of links is spent: a new signup is the way on, once this one expires.
            metrics.RateLimited("LinksPerSignup");
            logger.LinksExhausted(signupId, maxLinks);
            return Security.SecurityProblems.LinksExhausted(capped.ExpiresAt - time.GetUtcNow());
        }

        return requested.Row is { } row ? CheckAlive(row) is { } ended ? ended : row : ApiProblem.SignupNotFound();
    }

    /// <summary>Abandons a signup before step 3; after it, the activation link's "Désactiver mon compte" is the way out.</summary>
    public async Task<Outcome<SignupEntity>> CancelAsync(string signupId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        if (signup is { Status: SignupStatus.Cancelled })
        {
            return signup;
        }

        if (CheckAt(signup, SignupStatus.AwaitingDetails, SignupStatus.AwaitingWorkspaces) is { } problem)
        {
            return problem;
        }

        SignupStatus status = signup!.Status;
        await watch.BookLookAsync(signupId, cancellationToken);
        Transition cancelled = await machine.CancelAsync(signupId, cancellationToken);
        if (!cancelled.Applied)
        {
            // Step 3 (or the deadline) won the race.
            return Refused(cancelled);
        }

        metrics.SignupCancelled(status.ToString());
        await watch.AdvanceAndStartAsync(cancelled.Row!, durable, cancellationToken);
        logger.StatusEvent(LogLevel.Information, signupId, status, "cancelled by the user");
        return await signups.GetAsync(signupId, cancellationToken) ?? cancelled.Row!;
    }

    async Task<SignupEntity?> FindAsync(string signupId, CancellationToken cancellationToken) =>
        SignupIds.IsWellFormed(signupId) ? await signups.GetAsync(signupId, cancellationToken) : null;

    ApiProblem? CheckAlive(SignupEntity? signup) =>
        signup is null ? ApiProblem.SignupNotFound()
        : SignupStateMachine.HasEnded(signup, time.GetUtcNow()) ? ApiProblem.SignupExpired()
        : null;

    /// <summary>Alive and at one of <paramref name="steps"/>, or why not.</summary>
    ApiProblem? CheckAt(SignupEntity? signup, params SignupStatus[] steps) =>
        CheckAlive(signup) ?? (steps.Contains(signup!.Status) ? null : ApiProblem.StepOutOfOrder(signup.Status.ToString()));

    /// <summary>A step's transition lost to another: the signup ended, or it is at another step now.</summary>
    ApiProblem Refused(Transition transition) => CheckAlive(transition.Row) ?? ApiProblem.StepOutOfOrder(transition.Row!.Status.ToString());
}
