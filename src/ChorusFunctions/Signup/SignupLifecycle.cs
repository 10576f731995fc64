using ChorusFunctions.Accounts;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Email;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Structures;
using ChorusFunctions.Storage;
using ChorusFunctions.Telemetry;

namespace ChorusFunctions.Signup;

/// <summary>Does what a signup's row owes and says what to wait for next; idempotent, as activities run at least once.</summary>
public sealed class SignupLifecycle(
    SignupStore signups,
    SignupStateMachine machine,
    StructureStore structures,
    EmailReservationStore reservations,
    ActivationTokenStore tokens,
    ActivationTokens tokenFactory,
    ExpiryIndex expiryIndex,
    IEmailSender emailSender,
    EmailComposer composer,
    IOptions<SignupOptions> options,
    IOptions<PrivacyOptions> privacy,
    SignupMetrics metrics,
    AuditTrail audit,
    ExistingAccountNotifier attempts,
    TimeProvider time,
    ILogger<SignupLifecycle> logger)
{
    public const string ActivationPurpose = "activation";

    public async Task<SignupStep> AdvanceAsync(AdvanceSignupInput input, CancellationToken cancellationToken)
    {
        using ReadOnce.Scope reads = ReadOnce.Join();
        SignupEntity? row = await signups.GetAsync(input.SignupId, cancellationToken);
        if (row is null || SignupStateMachine.InstanceIdOf(row) != input.InstanceId)
        {
            // A repair moved the signup to a newer instance: this one has nothing left to do.
            return new SignupStep(row?.Status ?? SignupStatus.Cancelled, DateTime.MinValue, row?.LinkSequence ?? 0, JoinRequest: false, Superseded: true);
        }

        // Each duty in turn, on the row the previous one left.
        row = !row.Status.IsTerminal() && row.ExpiresAt <= time.GetUtcNow() ? await ExpireAsync(row, cancellationToken) : row;
        // The pending account and an owed link's token are rows of their own: written side by side.
        Task<OwedLink>? link = SignupStateMachine.LinkOwed(row) && !row.Duplicate ? PrepareLinkAsync(row, cancellationToken) : null;
        Task<SignupEntity> account = row.Status == SignupStatus.AwaitingActivation ? EnsureAccountAsync(row, cancellationToken) : Task.FromResult(row);
        await Task.WhenAll(link is null ? [account] : [account, link]);
        row = await account;
        row = !SignupStateMachine.LinkOwed(row) ? row
            : row.Duplicate ? await SendAttemptNoticeAsync(row, cancellationToken)
            : await SendLinkAsync(row, await (link ?? PrepareLinkAsync(row, cancellationToken)), cancellationToken);
        row = row.Status switch
        {
            SignupStatus.Active when !row.Finalized => await FinalizeAsync(row, cancellationToken),
            SignupStatus.Expired or SignupStatus.Cancelled when !row.Released => await ReleaseAsync(row, cancellationToken),
            _ => row,
        };
        row = SignupStateMachine.NoticeOwed(row) ? await SendNoticeAsync(row, cancellationToken) : row;

        bool joinRequestOpen = SignupStateMachine.JoinRequestOpen(row);
        return new SignupStep(row.Status, row.ExpiresAt.UtcDateTime, row.LinkSequence, joinRequestOpen, Superseded: false,
            joinRequestOpen ? row.CurrentJoinRequestId : null);
    }

    /// <summary>Every attempt at the email the row owes failed: the signup shows it, and the user can ask again.</summary>
    public async Task RecordEmailFailureAsync(AdvanceSignupInput input, CancellationToken cancellationToken)
    {
        SignupEntity? row = await signups.GetAsync(input.SignupId, cancellationToken);
        if (row is not null && SignupStateMachine.LinkOwed(row))
        {
            await LinkFailedAsync(row, row.LinkRequested, cancellationToken);
        }
        else if (row is not null && SignupStateMachine.NoticeOwed(row))
        {
            NoticeGivenUp(row);
            await machine.MarkNoticeSentAsync(row.SignupId, cancellationToken);
        }
    }

    async Task<SignupEntity> ExpireAsync(SignupEntity row, CancellationToken cancellationToken)
    {
        Transition expired = await machine.ExpireAsync(row.SignupId, cancellationToken);
        SignupEntity current = expired.Row ?? row;
        if (expired.Applied)
        {
            logger.StatusEvent(LogLevel.Information, row.SignupId, current.Status, $"deadline of step {row.Status} passed");
            if (current.Status == SignupStatus.Expired)
            {
                metrics.SignupExpired(row.Status.ToString());
                await audit.RecordAsync(row.SignupId, AuditEvent.Expiry, client: null);
            }
        }

        return current;
    }

    /// <summary>After step 3 the pending account exists; one that already left pending wins, and the row follows.</summary>
    async Task<SignupEntity> EnsureAccountAsync(SignupEntity row, CancellationToken cancellationToken)
    {
        // Created, or found as a retry or the activation left it.
        AccountEntity account = await machine.CreateAccountAsync(row, AccountStatus.Pending, cancellationToken);
        return account.Status == AccountStatus.Pending ? row : (await machine.FollowAccountAsync(row.SignupId, cancellationToken)).Row ?? row;
    }

    /// <summary>The first activated account of a structure becomes its gestionnaire principal (its keyed insert decides), every later one files a joining request.</summary>
    async Task<(MemberRole Role, MembershipStatus Membership)> ClaimStructureAsync(SignupEntity signup, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        var structure = new StructureEntity
        {
            PartitionKey = signup.StructureKey,
            IdentifierType = signup.IdentifierType,
            Identifier = signup.Identifier,
            CreatedBySignupId = signup.SignupId,
            CreatedAt = now,
        };
        structure.SetAddress(signup.GetAddress());
        MemberEntity Member(MemberRole role, MembershipStatus status) => new()
        {
            PartitionKey = signup.StructureKey,
            RowKey = MemberEntity.RowOf(signup.SignupId),
            AccountId = signup.SignupId,
            Role = role,
            Status = status,
            CreatedAt = now,
        };

        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (await structures.TryCreateAsync(structure, Member(MemberRole.GestionnairePrincipal, MembershipStatus.Active), cancellationToken))
            {
                return (MemberRole.GestionnairePrincipal, MembershipStatus.Active);
            }

            // A structure released meanwhile is created again at the next attempt.
            if (await structures.GetAsync(signup.StructureKey, cancellationToken) is not null)
            {
                MemberEntity member = await structures.AddMemberAsync(Member(MemberRole.Utilisateur, MembershipStatus.PendingApproval), cancellationToken);
                return (member.Role, member.Status);
            }
        }

        throw new InvalidOperationException($"Structure {signup.StructureKey} kept changing; the activity will retry.");
    }

    /// <summary>The owed link: its token is derived from the signup and link number, and its expiry from when it was asked for, so a retry sends the same.</summary>
    sealed record OwedLink(int Sequence, string Token, string Hash, DateTimeOffset ExpiresAt);

    /// <summary>The owed link's token row and its expiry, written (again, on a retry: the same rows).</summary>
    async Task<OwedLink> PrepareLinkAsync(SignupEntity row, CancellationToken cancellationToken)
    {
        int sequence = row.LinkRequested;
        string token = tokenFactory.ActivationLink(row.SignupId, sequence);
        string hash = ActivationTokens.Hash(token);
        DateTimeOffset lifetimeEnd = (row.LinkRequestedAt ?? time.GetUtcNow()) + options.Value.ActivationLinkLifetime;
        DateTimeOffset linkExpiresAt = lifetimeEnd < row.ExpiresAt ? lifetimeEnd : row.ExpiresAt;
        await Task.WhenAll(
            tokens.SaveAsync(new ActivationTokenEntity { PartitionKey = hash, SignupId = row.SignupId, Sequence = sequence, ExpiresAt = linkExpiresAt }, cancellationToken),
            expiryIndex.AddAsync(ExpiryKind.Token, hash, linkExpiresAt, cancellationToken));
        return new OwedLink(sequence, token, hash, linkExpiresAt);
    }

    /// <summary>Issues the owed link on the signup's row (step 3 issued link 1 already) and emails it.</summary>
    async Task<SignupEntity> SendLinkAsync(SignupEntity row, OwedLink link, CancellationToken cancellationToken)
    {
        (int sequence, string token, string hash, DateTimeOffset linkExpiresAt) = link;
        if (row.CurrentTokenHash != hash)
        {
            row = (await machine.IssueLinkAsync(row.SignupId, sequence, hash, cancellationToken)).Row ?? row;
            if (row.CurrentTokenHash != hash)
            {
                return row; // The signup moved on meanwhile (activated, ended, or a newer link asked for).
            }
        }

        try
        {
            await emailSender.SendAsync(composer.ActivationLink(RecipientOf(row), row.SignupId, row.CompanyName ?? row.Identifier, token, linkExpiresAt, sequence), cancellationToken);
        }
        catch (PermanentEmailFailureException)
        {
            return await LinkFailedAsync(row, sequence, cancellationToken);
        }

        logger.LinkDelivered(row.SignupId, sequence, "sent");
        // The audit is best effort (it never fails a turn), so it need not come first.
        Task audited = audit.RecordAsync(row.SignupId, AuditEvent.EmailSent, client: null, $"link {sequence}");
        Transition recorded = await machine.RecordLinkDeliveryAsync(row.SignupId, sequence, EmailDelivery.Sent, cancellationToken);
        await audited;
        return recorded.Row ?? row;
    }

    /// <summary>A duplicate's link is never issued: the owner gets the attempt notice, recorded as a link's delivery.</summary>
    async Task<SignupEntity> SendAttemptNoticeAsync(SignupEntity row, CancellationToken cancellationToken)
    {
        int sequence = row.LinkRequested;
        await attempts.NotifyAsync(row.LoginEmail, client: null, cancellationToken, accountsOnly: false, language: row.Language, attempt: (row.SignupId, row.CreatedAt));
        logger.LinkDelivered(row.SignupId, sequence, "replaced by the attempt notice: its login email is held by another");
        return (await machine.RecordLinkDeliveryAsync(row.SignupId, sequence, EmailDelivery.Sent, cancellationToken)).Row ?? row;
    }

    async Task<SignupEntity> FinalizeAsync(SignupEntity row, CancellationToken cancellationToken)
    {
        // The claim is idempotent (a retry finds its own structure or membership), so it is recorded with the rest.
        (MemberRole Role, MembershipStatus Membership)? claimed = row.Role is null ? await ClaimStructureAsync(row, cancellationToken) : null;
        if (claimed is { } decided)
        {
            logger.RoleDecided(row.SignupId, decided.Role, decided.Membership);
        }

        // The welcome goes out before the finalization is recorded, so that one write records both. A send that fails
        // records the finalization alone (the role stands, and a joining request need not wait for an email).
        try
        {
            if (!row.NoticeSent)
            {
                await NotifyAsync(row, (claimed?.Role ?? row.Role) == MemberRole.GestionnairePrincipal, cancellationToken);
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await machine.MarkFinalizedAsync(row.SignupId, claimed, noticeSent: false, cancellationToken);
            throw;
        }

        Transition finalized = await machine.MarkFinalizedAsync(row.SignupId, claimed, noticeSent: true, cancellationToken);
        if (finalized.Applied)
        {
            metrics.SignupActivated(time.GetUtcNow() - row.CreatedAt);
        }

        return finalized.Row ?? row;
    }

    /// <summary>An ended signup gives back its email and structure claim; its personal data is booked for erasure.</summary>
    async Task<SignupEntity> ReleaseAsync(SignupEntity row, CancellationToken cancellationToken)
    {
        await reservations.ReleaseAsync(row.LoginEmail, row.SignupId, cancellationToken);
        // Booked before the row says released, so that a crash in between cannot leave the data without its erasure.
        await expiryIndex.AddAsync(ExpiryKind.Erasure, row.SignupId, time.GetUtcNow() + privacy.Value.Retention, cancellationToken);
        Transition released = await machine.MarkReleasedAsync(row.SignupId, cancellationToken);
        if (released.Applied)
        {
            logger.StatusEvent(LogLevel.Information, row.SignupId, row.Status, "released its email and structure");
        }

        return released.Row ?? row;
    }

    /// <summary>The person behind a signup, in the language chosen at step 1.</summary>
    public static EmailRecipient RecipientOf(SignupEntity row) => EmailRecipient.Named(row.LoginEmail, row.FirstName, row.LastName, row.Language);

    /// <summary>Tells the user how the signup ended (welcome or expired), in the signup's language.</summary>
    async Task<SignupEntity> SendNoticeAsync(SignupEntity row, CancellationToken cancellationToken)
    {
        await NotifyAsync(row, row.Role == MemberRole.GestionnairePrincipal, cancellationToken);
        return (await machine.MarkNoticeSentAsync(row.SignupId, cancellationToken)).Row ?? row;
    }

    /// <summary>Sends the notice, or gives it up when the provider refuses it for good: the signup's outcome stands.</summary>
    async Task NotifyAsync(SignupEntity row, bool gestionnairePrincipal, CancellationToken cancellationToken)
    {
        EmailRecipient to = RecipientOf(row);
        EmailMessage message = row.Status == SignupStatus.Active
            ? composer.AccountActivated(to, row.SignupId, row.CompanyName ?? "", gestionnairePrincipal)
            : composer.SignupExpired(to, row.SignupId, row.CompanyName ?? "", row.ExpiresAt);
        try
        {
            await emailSender.SendAsync(message, cancellationToken);
        }
        catch (PermanentEmailFailureException)
        {
            NoticeGivenUp(row);
        }
    }

    /// <summary>The signup shows the failure, and the user can ask for a new link.</summary>
    async Task<SignupEntity> LinkFailedAsync(SignupEntity row, int sequence, CancellationToken cancellationToken)
    {
        metrics.EmailFailed(ActivationPurpose);
        logger.SignupEvent(LogLevel.Warning, row.SignupId, "the activation email could not be delivered");
        return (await machine.RecordLinkDeliveryAsync(row.SignupId, sequence, EmailDelivery.Failed, cancellationToken)).Row ?? row;
    }

    void NoticeGivenUp(SignupEntity row)
    {
        metrics.EmailFailed("notice");
        logger.StatusEvent(LogLevel.Warning, row.SignupId, row.Status, "the notice could not be sent");
    }
}
