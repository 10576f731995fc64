using ChorusFunctions.Activation;
using ChorusFunctions.Http;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Structures;
using ChorusFunctions.Telemetry;
using ChorusFunctions.Workspaces;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Signup;

/// <summary>Steps 1 to 3 of a signup and the request for a new activation link.</summary>
public sealed partial class SignupService(
    SignupStore signups,
    SignupStateMachine machine,
    SignupWatch watch,
    EmailReservationStore reservations,
    StructureStore structures,
    IStructureDirectory directory,
    ICaptchaVerifier captcha,
    ActivationTokens ids,
    SignupMetrics metrics,
    IOptions<SignupOptions> options,
    IOptions<EnumerationProtectionOptions> enumeration,
    TimeProvider time,
    ILogger<SignupService> logger)
{
    /// <summary>
    /// A missing, wrong, used or expired captcha answer: for the image and for its text alternative alike (the
    /// verifier does not say which was answered, nor why it was refused).
    /// </summary>
    public const string CaptchaRefusedMessage =
        "La réponse ne correspond pas à l'image ou à la question. Réessayez avec une nouvelle image ou une nouvelle question.";

    /// <summary>A reservation whose signup row never appeared (a crash in between) is stale after this.</summary>
    static readonly TimeSpan OrphanReservationAge = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Step 1. With an <c>Idempotency-Key</c>, the signup id is derived from the key, so a retry finds the signup
    /// its first attempt created: the same body gets the same answer (and whatever the first attempt did not get to
    /// do is done now); another body gets 422. The key lives as long as the signup's first step.
    /// </summary>
    public async Task<Outcome<SignupEntity>> StartAsync(CreateSignupRequest request, string language, DurableTaskClient durable, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        var errors = new FieldErrors();
        string? email = null;
        if (string.IsNullOrWhiteSpace(request.LoginEmail))
        {
            errors.Add("loginEmail", "Saisissez votre adresse électronique de connexion.");
        }
        else
        {
            email = EmailAddress.Normalize(request.LoginEmail);
            if (!EmailAddress.IsValid(email))
            {
                errors.Add("loginEmail", "L'adresse électronique de connexion n'est pas valide (exemple : prenom.nom@entreprise.fr).");
                email = null;
            }
        }

        // Types without a register number take their identifier from the login email: nothing to say without one.
        bool derived = StructureIdentifier.TryParseType(request.IdentifierType, out IdentifierType requestedType) && StructureIdentifier.IsDerived(requestedType);
        if (!StructureIdentifier.TryParse(request.IdentifierType, request.Identifier, request.Country, email is null ? null : ids.DeriveStructureIdentifier(email), out StructureIdentifier? identifier, out string? identifierError, out string identifierField)
            && !(derived && email is null))
        {
            errors.Add(identifierField, identifierError!);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        string requestHash = RequestHashOf(email!, identifier!, language);
        string signupId = idempotencyKey is null ? Guid.NewGuid().ToString("N") : ids.DeriveId(idempotencyKey, "idempotency-key");
        if (idempotencyKey is not null && await signups.GetAsync(signupId, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(earlier, requestHash, durable, cancellationToken);
        }

        // Step 1 holds nothing (no email, no structure): a stranger's step 1 with someone's address must not stop
        // theirs. Without enumeration protection, an address already held is refused here, as it would be at step 2.
        if (!enumeration.Value.EnumerationProtection && await IsTakenAsync(email!, signupId, time.GetUtcNow(), cancellationToken))
        {
            LogEmailTaken(signupId);
            return EmailTaken();
        }

        // The prefill is the register's only, for an existing structure too: never what its first user typed.
        StructureEntity? existing = await structures.GetActiveAsync(identifier!.Key, cancellationToken);
        DirectoryLookup lookup = await directory.LookupAsync(identifier, cancellationToken);
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
            LoginEmail = email!,
            Language = language,
            IdentifierType = identifier.Type,
            Identifier = identifier.Value,
            StructureKey = identifier.Key,
            Prefilled = prefill is not null,
            StructureExists = existing is not null,
            RequestHash = idempotencyKey is null ? null : requestHash,
            OwnerHash = SignupCookie.HashFor(ids, signupId),
        };
        signup.SetAddress((prefill ?? StructureAddress.Empty) with { Country = prefill?.Country ?? identifier.Country });

        // The look at the deadline is booked before the row exists, so a row that never got its orchestration is
        // found again and expires at its deadline.
        await watch.BookDeadlineAsync(signup, cancellationToken);
        await watch.BookLookAsync(signupId, cancellationToken);
        Transition started = await machine.StartAsync(signup, cancellationToken);
        if (!started.Applied)
        {
            return started.Row is { } raced ? await ReplayAsync(raced, requestHash, durable, cancellationToken) : ApiProblem.SignupNotFound();
        }

        await watch.StartAsync(signup, durable, cancellationToken);
        metrics.SignupStarted(identifier.Type.ToString());
        LogStarted(signupId, identifier.Type, signup.Prefilled, signup.StructureExists);
        return signup;
    }

    /// <summary>A retried step 1 (same key): the first answer, after doing what the first attempt may not have done.</summary>
    async Task<Outcome<SignupEntity>> ReplayAsync(SignupEntity earlier, string requestHash, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (earlier.RequestHash != requestHash || earlier.Status != SignupStatus.AwaitingDetails || SignupStateMachine.HasEnded(earlier, time.GetUtcNow()))
        {
            return ApiProblem.IdempotencyKeyReused();
        }

        // Started again unless it runs: the first attempt may have died before scheduling it, or it may have failed.
        if (await durable.GetInstanceAsync(SignupStateMachine.InstanceIdOf(earlier), cancellationToken)
            is not { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending })
        {
            await watch.StartAsync(earlier, durable, cancellationToken);
        }

        LogReplayed(earlier.SignupId);
        return earlier;
    }

    /// <summary>What a retry of step 1 must repeat to get the first answer (normalised, so spelling does not matter).</summary>
    static string RequestHashOf(string email, StructureIdentifier identifier, string language) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', email, identifier.Key, language))));

    static ApiProblem EmailTaken() => new()
    {
        Title = "Adresse déjà utilisée",
        Status = 409,
        Code = ErrorCodes.EmailTaken,
        Detail = "Cette adresse électronique est déjà utilisée par un compte ou par une inscription en cours.",
        Errors = new Dictionary<string, string[]> { ["loginEmail"] = ["Cette adresse électronique est déjà utilisée."] },
    };

    public async Task<Outcome<SignupEntity>> GetAsync(string signupId, CancellationToken cancellationToken) =>
        await FindAsync(signupId, cancellationToken) is { } signup ? signup : ApiProblem.SignupNotFound();

    public async Task<Outcome<SignupEntity>> SubmitDetailsAsync(string signupId, SubmitDetailsRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        if (CheckAlive(signup) is { } problem)
        {
            return problem;
        }

        var errors = new FieldErrors();
        Details? details = ValidateDetails(request, signup!, errors);
        if (details is null)
        {
            return errors.ToProblem();
        }

        SignupStatus status = signup!.Status;
        if (status is SignupStatus.AwaitingWorkspaces or SignupStatus.AwaitingActivation && details.Matches(signup))
        {
            // The same details sent again are a replay: answered as the first time, at no cost.
            return signup;
        }

        if (status is not (SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces))
        {
            return ApiProblem.StepOutOfOrder(status.ToString());
        }

        // The captcha is single use, so it is checked at the first submission of step 2 only; a signup that passed
        // it may correct its details (or retry the same PUT) without a new image.
        if (status == SignupStatus.AwaitingDetails && !await captcha.VerifyAsync(request.Captcha?.Id, request.Captcha?.Answer, cancellationToken))
        {
            return ApiProblem.Validation("captcha.answer", CaptchaRefusedMessage);
        }

        // The email is reserved once a human answered the captcha, and only after the row exists (since step 1): a
        // crash in between leaves a reservation that the signup's own retry keeps, or its expiry gives back. An
        // address held by another is no refusal under enumeration protection: the signup goes on as a duplicate
        // (see SignupEntity.Duplicate), answered like any other.
        bool duplicate = false;
        if (status == SignupStatus.AwaitingDetails && !await ReserveEmailAsync(signup.LoginEmail, signupId, time.GetUtcNow(), cancellationToken))
        {
            LogEmailTaken(signupId);
            if (!enumeration.Value.EnumerationProtection)
            {
                return EmailTaken();
            }

            duplicate = true;
        }

        Transition submitted = await machine.SubmitDetailsAsync(signupId, details.ApplyTo, options.Value.StepDeadline, duplicate, cancellationToken);
        if (!submitted.Applied)
        {
            return CheckAlive(submitted.Row) ?? ApiProblem.StepOutOfOrder(submitted.Row!.Status.ToString());
        }

        SignupEntity updated = submitted.Row!;
        await watch.ChangedAsync(updated, durable, cancellationToken, deadlineMoved: status == SignupStatus.AwaitingDetails);
        LogDetailsSubmitted(signupId);
        return updated;
    }

    public async Task<Outcome<SignupEntity>> SubmitWorkspacesAsync(string signupId, SubmitWorkspacesRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        if (CheckAlive(signup) is { } problem)
        {
            return problem;
        }

        if (request.Workspaces is null || request.Workspaces.Count == 0)
        {
            return ApiProblem.Validation("workspaces", "Activez au moins un espace de travail.");
        }

        if (request.Workspaces.Count > WorkspaceCatalog.All.Count * 2 || request.Workspaces.Any(code => code is null || !WorkspaceCatalog.IsKnown(code)))
        {
            return ApiProblem.Validation("workspaces", "Un des espaces de travail demandés n'existe pas.");
        }

        // Stored in catalogue order so that equal sets compare equal.
        string codes = string.Join(',', WorkspaceCatalog.All.Select(w => w.Code).Where(request.Workspaces.Contains));
        SignupStatus status = signup!.Status;
        if (status == SignupStatus.AwaitingActivation && signup.Workspaces == codes)
        {
            // A replay. While the first link is still owed, its orchestration is woken again: the first attempt's
            // wake-up may have been lost with the host that was answering it.
            if (SignupStateMachine.LinkOwed(signup))
            {
                await watch.WakeAsync(signup, durable, cancellationToken);
            }

            return signup;
        }

        if (status != SignupStatus.AwaitingWorkspaces)
        {
            return ApiProblem.StepOutOfOrder(status.ToString());
        }

        await watch.BookLookAsync(signupId, cancellationToken);
        Transition submitted = await machine.SubmitWorkspacesAsync(signupId, codes, options.Value.ActivationDeadline, cancellationToken);
        if (!submitted.Applied)
        {
            return CheckAlive(submitted.Row) ?? ApiProblem.StepOutOfOrder(submitted.Row!.Status.ToString());
        }

        await watch.ChangedAsync(submitted.Row!, durable, cancellationToken, deadlineMoved: true);
        LogWorkspacesSubmitted(signupId, request.Workspaces.Count);
        return submitted.Row!;
    }

    public async Task<Outcome<SignupEntity>> RequestNewLinkAsync(string signupId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        if (CheckAlive(signup) is { } problem)
        {
            return problem;
        }

        if (signup!.Status != SignupStatus.AwaitingActivation)
        {
            return ApiProblem.StepOutOfOrder(signup.Status.ToString());
        }

        // While a link is still owed, asking again changes nothing and wakes nobody.
        if (SignupStateMachine.LinkOwed(signup))
        {
            return signup;
        }

        int maxLinks = options.Value.MaxActivationLinks;
        Transition requested = new(signup, false);
        if (signup.LinkRequested < maxLinks)
        {
            await watch.BookLookAsync(signupId, cancellationToken);
            requested = await machine.RequestLinkAsync(signupId, maxLinks, cancellationToken);
        }
        if (requested.Applied)
        {
            await watch.ChangedAsync(requested.Row!, durable, cancellationToken);
            LogNewLinkRequested(signupId);
        }
        else if (requested.Row is { } capped && capped.LinkRequested >= maxLinks && capped.LinkRequested <= capped.LinkSequence && CheckAlive(capped) is null)
        {
            // The signup's lifetime allowance of links is spent: a new signup is the way on, once this one expires.
            metrics.RateLimited("LinksPerSignup");
            LogLinksExhausted(signupId, maxLinks);
            return Security.SecurityProblems.LinksExhausted(capped.ExpiresAt - time.GetUtcNow());
        }

        return requested.Row is { } row ? CheckAlive(row) is { } ended ? ended : row : ApiProblem.SignupNotFound();
    }

    /// <summary>
    /// Abandons a signup before step 3 (the user went back to step 1 and changed it): its orchestration releases its
    /// email and structure at once. After step 3 the activation link's "Désactiver mon compte" is the way out.
    /// </summary>
    public async Task<Outcome<SignupEntity>> CancelAsync(string signupId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await FindAsync(signupId, cancellationToken);
        if (signup is null)
        {
            return ApiProblem.SignupNotFound();
        }

        SignupStatus status = signup.Status;
        if (status == SignupStatus.Cancelled)
        {
            return signup;
        }

        if (CheckAlive(signup) is { } problem)
        {
            return problem;
        }

        if (status is not (SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces))
        {
            return ApiProblem.StepOutOfOrder(status.ToString());
        }

        await watch.BookLookAsync(signupId, cancellationToken);
        Transition cancelled = await machine.CancelAsync(signupId, cancellationToken);
        if (!cancelled.Applied)
        {
            // Step 3 (or the deadline) won the race.
            return CheckAlive(cancelled.Row) ?? ApiProblem.StepOutOfOrder(cancelled.Row!.Status.ToString());
        }

        metrics.SignupCancelled(status.ToString());
        await watch.ChangedAsync(cancelled.Row!, durable, cancellationToken);
        LogCancelled(signupId, status);
        return cancelled.Row!;
    }

    /// <summary>Signup ids are 32 hex digits; anything else is not looked up at all.</summary>
    public static bool IsWellFormedId(string? signupId) =>
        signupId is { Length: 32 } && signupId.All(char.IsAsciiHexDigitLower);

    async Task<SignupEntity?> FindAsync(string signupId, CancellationToken cancellationToken) =>
        IsWellFormedId(signupId) ? await signups.GetAsync(signupId, cancellationToken) : null;

    ApiProblem? CheckAlive(SignupEntity? signup) =>
        signup is null ? ApiProblem.SignupNotFound()
        : SignupStateMachine.HasEnded(signup, time.GetUtcNow()) ? ApiProblem.SignupExpired()
        : null;

    async Task<bool> ReserveEmailAsync(string email, string signupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            EmailReservationEntity? holder = await reservations.TryReserveAsync(email, signupId, now, cancellationToken);
            if (holder is null || holder.SignupId == signupId)
            {
                return true;
            }

            if (holder.IsAccount || !await IsStaleAsync(holder, now, cancellationToken))
            {
                return false;
            }

            if (await reservations.TryTakeOverAsync(holder, signupId, now, cancellationToken))
            {
                LogReservationTakenOver(signupId, holder.SignupId);
                return true;
            }
        }

        return false;
    }

    /// <summary>The email is held by an account or by another signup still alive (nothing is reserved by asking).</summary>
    async Task<bool> IsTakenAsync(string email, string signupId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await reservations.GetAsync(email, cancellationToken) is { } holder && holder.SignupId != signupId
        && (holder.IsAccount || !await IsStaleAsync(holder, now, cancellationToken));

    /// <summary>A reservation is stale when its signup ended without an account, or never came to exist.</summary>
    async Task<bool> IsStaleAsync(EmailReservationEntity holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (holder.SignupId.Length == 0)
        {
            return true;
        }

        SignupEntity? previous = await signups.GetAsync(holder.SignupId, cancellationToken);
        return previous is null ? now - holder.ReservedAt > OrphanReservationAge : SignupStateMachine.HasEnded(previous, now);
    }

    sealed record Details(string LastName, string FirstName, string? ContactEmail, StructureAddress? Structure, bool PaymentRequests, bool Dume)
    {
        public void ApplyTo(SignupEntity row)
        {
            row.LastName = LastName;
            row.FirstName = FirstName;
            row.ContactEmail = ContactEmail ?? row.LoginEmail;
            row.PaymentRequests = PaymentRequests;
            row.Dume = Dume;
            if (Structure is not null && !row.StructureExists)
            {
                // A private person's structure is named after the person.
                row.SetAddress(row.IdentifierType == IdentifierType.PARTICULIER ? Structure with { CompanyName = $"{FirstName} {LastName}" } : Structure);
            }
        }

        public bool Matches(SignupEntity row)
        {
            SignupEntity copy = new()
            {
                PartitionKey = row.PartitionKey,
                Status = row.Status,
                CreatedAt = row.CreatedAt,
                ExpiresAt = row.ExpiresAt,
                LoginEmail = row.LoginEmail,
                IdentifierType = row.IdentifierType,
                Identifier = row.Identifier,
                StructureKey = row.StructureKey,
                StructureExists = row.StructureExists,
            };
            ApplyTo(copy);
            return copy.LastName == row.LastName && copy.FirstName == row.FirstName && copy.ContactEmail == row.ContactEmail
                && copy.PaymentRequests == row.PaymentRequests && copy.Dume == row.Dume
                && (row.StructureExists || Structure is null || copy.GetAddress() == row.GetAddress());
        }
    }

    static Details? ValidateDetails(SubmitDetailsRequest request, SignupEntity signup, FieldErrors errors)
    {
        string? confirmation = errors.Text("loginEmailConfirmation", request.LoginEmailConfirmation, EmailAddress.MaxLength, required: true, "Ressaisissez votre adresse électronique de connexion");
        if (confirmation is not null && EmailAddress.Normalize(confirmation) != signup.LoginEmail)
        {
            errors.Add("loginEmailConfirmation", "Les deux adresses électroniques de connexion ne sont pas identiques.");
        }

        string? lastName = errors.Text("lastName", request.LastName, 100, required: true, "Nom");
        string? firstName = errors.Text("firstName", request.FirstName, 100, required: true, "Prénom");
        string? contactEmail = errors.Text("contactEmail", request.ContactEmail, EmailAddress.MaxLength, required: false, "Adresse électronique de contact");
        if (contactEmail is not null)
        {
            contactEmail = EmailAddress.Normalize(contactEmail);
            if (!EmailAddress.IsValid(contactEmail))
            {
                errors.Add("contactEmail", "L'adresse électronique de contact n'est pas valide.");
            }
        }

        StructureAddress? structure = null;
        if (!signup.StructureExists)
        {
            // A structure that already exists is read-only: what its gestionnaire entered stays.
            StructureAddress input = request.Structure ?? StructureAddress.Empty;
            string? country = errors.Text("structure.country", input.Country, 2, required: true, "Pays")?.ToUpperInvariant();
            if (country is not null && !Countries.IsValid(country))
            {
                errors.Add("structure.country", "Choisissez un pays dans la liste (code ISO à deux lettres).");
            }
            else if (country is not null && signup.IdentifierType == IdentifierType.HORS_UE && signup.Country is { } declared && country != declared)
            {
                // The country is part of a non-EU structure's key: it was chosen with the identifier at step 1.
                errors.Add("structure.country", $"Le pays est celui de l'identifiant déclaré à l'étape 1 ({declared}).");
            }

            bool particulier = signup.IdentifierType == IdentifierType.PARTICULIER;

            string? postalCode = errors.Text("structure.postalCode", input.PostalCode, 16, required: true, "Code postal");
            if (postalCode is not null && country == "FR" && (postalCode.Length != 5 || !postalCode.All(char.IsAsciiDigit)))
            {
                errors.Add("structure.postalCode", "Le code postal doit comporter 5 chiffres.");
            }
            else if (postalCode is not null && !postalCode.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-'))
            {
                errors.Add("structure.postalCode", "Le code postal ne doit contenir que des lettres, des chiffres, des espaces ou des tirets.");
            }

            structure = new StructureAddress(
                // A private person's structure is named after the person (see Details.ApplyTo).
                errors.Text("structure.companyName", input.CompanyName, 200, required: !particulier, "Raison sociale"),
                errors.Text("structure.label", input.Label, 200, required: false, "Libellé de la structure"),
                errors.Text("structure.address", input.Address, 200, required: true, "Adresse"),
                errors.Text("structure.addressComplement1", input.AddressComplement1, 200, required: false, "Complément adresse 1"),
                errors.Text("structure.addressComplement2", input.AddressComplement2, 200, required: false, "Complément adresse 2"),
                postalCode,
                errors.Text("structure.city", input.City, 100, required: true, "Ville"),
                country);
        }

        FeaturesInput features = request.Features ?? new FeaturesInput();
        if (!features.PaymentRequests && !features.Dume)
        {
            errors.Add("features", "Choisissez au moins une fonctionnalité : déposer des demandes de paiement ou créer et/ou consulter des DUME.");
        }

        return errors.Any ? null : new Details(lastName!, firstName!, contactEmail, structure, features.PaymentRequests, features.Dume);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} started ({IdentifierType}, prefilled: {Prefilled}, existing structure: {StructureExists})")]
    partial void LogStarted(string signupId, IdentifierType identifierType, bool prefilled, bool structureExists);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: login email already in use")]
    partial void LogEmailTaken(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: step 1 sent again with its idempotency key; answered as the first time")]
    partial void LogReplayed(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} took over the stale email reservation of signup {PreviousSignupId}")]
    partial void LogReservationTakenOver(string signupId, string previousSignupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: details submitted")]
    partial void LogDetailsSubmitted(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: {Count} workspaces chosen")]
    partial void LogWorkspacesSubmitted(string signupId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} cancelled by the user at {Step}")]
    partial void LogCancelled(string signupId, SignupStatus step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: new link refused, its {MaxLinks} links are spent")]
    partial void LogLinksExhausted(string signupId, int maxLinks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: new activation link requested")]
    partial void LogNewLinkRequested(string signupId);
}
