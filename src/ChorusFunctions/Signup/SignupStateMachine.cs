// The result of a transition: the row as it stands afterwards, and whether this call changed it.
global using Transition = ChorusFunctions.Storage.Change<ChorusFunctions.Signup.SignupEntity>;
using ChorusFunctions.Accounts;
using ChorusFunctions.Storage;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Signup;

/// <summary>The only writer of signup and account rows, each change ETag-conditional; after step 3 the account decides, the row follows.</summary>
public sealed class SignupStateMachine(SignupStore signups, AccountStore accounts, TimeProvider time)
{
    /// <summary>What "ended" means: cancelled, expired, or past its deadline before reaching an active account.</summary>
    public static bool HasEnded(SignupEntity signup, DateTimeOffset now) => StatusAt(signup, now) is SignupStatus.Expired or SignupStatus.Cancelled;

    /// <summary>The status the steps answer by: past its deadline a signup is expired, before its row records it.</summary>
    public static SignupStatus StatusAt(SignupEntity signup, DateTimeOffset now) =>
        !signup.Status.IsTerminal() && signup.ExpiresAt <= now ? SignupStatus.Expired : signup.Status;

    /// <summary>The signup is at <paramref name="step"/> and has not ended: that step's requests are open.</summary>
    public static bool IsOpenAt(SignupEntity signup, SignupStatus step, DateTimeOffset now) => signup.Status == step && !HasEnded(signup, now);

    /// <summary>An activation link is owed: asked for (step 3, a new-link request) and not yet handed to the provider.</summary>
    public static bool LinkOwed(SignupEntity signup) =>
        signup.Status == SignupStatus.AwaitingActivation && signup.EmailDelivery == EmailDelivery.Pending;

    /// <summary>A notice is owed once per ended signup: the welcome, or the expiry to a user who was sent a link.</summary>
    public static bool NoticeOwed(SignupEntity signup) => !signup.NoticeSent && signup.Status switch
    {
        SignupStatus.Active => signup.Finalized,
        SignupStatus.Expired => signup.Released && signup.LinkSequence > 0,
        _ => false,
    };

    /// <summary>An active joining user's request is still open: the orchestration follows it.</summary>
    public static bool JoinRequestOpen(SignupEntity signup) =>
        signup.Status == SignupStatus.Active && signup.Role == MemberRole.Utilisateur && signup.Membership == MembershipStatus.PendingApproval;

    /// <summary>The orchestration instance that drives the signup now (a repair moves it to a new one).</summary>
    public static string InstanceIdOf(SignupEntity signup) => InstanceIdOf(signup.SignupId, signup.Generation);

    public static string InstanceIdOf(string signupId, int generation) => generation == 0 ? signupId : $"{signupId}-{generation}";

    /// <summary>Step 1: the row is created; an existing row with the same id (a retried request) is returned as it is.</summary>
    public async Task<Transition> StartAsync(SignupEntity row, CancellationToken cancellationToken) =>
        await signups.TryInsertAsync(row, cancellationToken)
            ? new Transition(row, true)
            : new Transition(await signups.GetAsync(row.SignupId, cancellationToken), false);

    /// <summary>Step 2, first or corrected; the first submission opens step 3's deadline and records <paramref name="duplicate"/>.</summary>
    public Task<Transition> SubmitDetailsAsync(string signupId, Action<SignupEntity> apply, TimeSpan stepDeadline, bool duplicate, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        return signups.MutateAsync(signupId, row => BeforeStep3(row, now), row =>
        {
            apply(row);
            if (row.Status == SignupStatus.AwaitingDetails)
            {
                row.Status = SignupStatus.AwaitingWorkspaces;
                row.ExpiresAt = now + stepDeadline;
                row.Duplicate = duplicate;
            }
        }, cancellationToken);
    }

    /// <summary>Steps 2 and cancellation are open until step 3 or the deadline.</summary>
    static bool BeforeStep3(SignupEntity row, DateTimeOffset now) =>
        row.Status is SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces && !HasEnded(row, now);

    /// <summary>
    /// Step 3: the workspaces are chosen, the account is owed and so is activation link 1, issued at once (its token is
    /// derived, <paramref name="firstLinkHash"/>): nobody holds it before its email, and the turn saves a write. A
    /// duplicate's link is never issued.
    /// </summary>
    public Task<Transition> SubmitWorkspacesAsync(string signupId, string workspaces, TimeSpan activationDeadline, string firstLinkHash, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        return signups.MutateAsync(signupId, row => IsOpenAt(row, SignupStatus.AwaitingWorkspaces, now), row =>
        {
            row.Workspaces = workspaces;
            row.Status = SignupStatus.AwaitingActivation;
            row.ExpiresAt = now + activationDeadline;
            OweLink(row, now);
            if (!row.Duplicate)
            {
                row.CurrentTokenHash = firstLinkHash;
                row.LinkSequence = 1;
            }
        }, cancellationToken);
    }

    /// <summary>A new link is owed, unless <paramref name="maxLinks"/> were owed already or one is still owed.</summary>
    public Task<Transition> RequestLinkAsync(string signupId, int maxLinks, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        return signups.MutateAsync(signupId,
            row => IsOpenAt(row, SignupStatus.AwaitingActivation, now) && !LinkOwed(row) && row.LinkRequested < maxLinks,
            row => OweLink(row, now), cancellationToken);
    }

    static void OweLink(SignupEntity row, DateTimeOffset now)
    {
        row.LinkRequested = row.LinkSequence + 1;
        row.LinkRequestedAt = now;
        row.EmailDelivery = EmailDelivery.Pending;
    }

    /// <summary>Creates the signup's account (pending, or expired when the deadline came first); an existing one is kept.</summary>
    public Task<AccountEntity> CreateAccountAsync(SignupEntity signup, AccountStatus status, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        return accounts.CreateAsync(new AccountEntity
        {
            PartitionKey = signup.SignupId,
            Status = status,
            LoginEmail = signup.LoginEmail,
            ContactEmail = signup.ContactEmail ?? signup.LoginEmail,
            LastName = signup.LastName ?? "",
            FirstName = signup.FirstName ?? "",
            Language = signup.Language,
            CreatedAt = now,
            ClosedAt = status == AccountStatus.Pending ? null : now,
        }, cancellationToken);
    }

    /// <summary>Link <paramref name="sequence"/> is issued: only its hash opens the activation page from now on.</summary>
    public Task<Transition> IssueLinkAsync(string signupId, int sequence, string tokenHash, CancellationToken cancellationToken) =>
        signups.MutateAsync(signupId,
            row => row.Status == SignupStatus.AwaitingActivation && sequence == row.LinkRequested && row.LinkSequence != sequence,
            row =>
            {
                row.CurrentTokenHash = tokenHash;
                row.LinkSequence = sequence;
            }, cancellationToken);

    /// <summary>The owed link was handed to the email provider (<see cref="EmailDelivery.Sent"/>) or given up on.</summary>
    public Task<Transition> RecordLinkDeliveryAsync(string signupId, int sequence, EmailDelivery delivery, CancellationToken cancellationToken) =>
        signups.MutateAsync(signupId,
            row => row.Status == SignupStatus.AwaitingActivation && row.LinkRequested == sequence && row.EmailDelivery == EmailDelivery.Pending,
            row =>
            {
                row.LinkSequence = sequence;
                row.EmailDelivery = delivery;
            }, cancellationToken);

    /// <summary>The user abandons the signup before step 3.</summary>
    public Task<Transition> CancelAsync(string signupId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        return signups.MutateAsync(signupId, row => BeforeStep3(row, now), row => row.Status = SignupStatus.Cancelled, cancellationToken);
    }

    /// <summary>A pending account becomes active with its secrets; the signup follows. Returns the account's status afterwards.</summary>
    public Task<AccountStatus?> ActivateAsync(string signupId, string tokenHash, string passwordHash, string secretQuestion, string answerHash, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        return DecideAsync(signupId, tokenHash, AccountStatus.Active, account =>
        {
            account.PasswordHash = passwordHash;
            account.SecretQuestion = secretQuestion;
            account.SecretAnswerHash = answerHash;
            account.ActivatedAt = now;
        }, cancellationToken);
    }

    /// <summary>"Désactiver mon compte": the pending account is closed; the signup follows.</summary>
    public Task<AccountStatus?> DeactivateAsync(string signupId, string tokenHash, CancellationToken cancellationToken) =>
        DecideAsync(signupId, tokenHash, AccountStatus.Cancelled, account => account.ClosedAt = time.GetUtcNow(), cancellationToken);

    async Task<AccountStatus?> DecideAsync(string signupId, string tokenHash, AccountStatus decision, Action<AccountEntity> apply, CancellationToken cancellationToken)
    {
        AccountStatus? status = await accounts.TryLeavePendingAsync(signupId, decision, account =>
        {
            apply(account);
            account.DecidedByToken = tokenHash;
        }, cancellationToken);
        await FollowAccountAsync(signupId, cancellationToken);
        return status;
    }

    /// <summary>The deadline passed: after step 3 the account decides against a concurrent activation (one not created yet is created expired).</summary>
    public async Task<Transition> ExpireAsync(string signupId, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        SignupEntity? row = await signups.GetAsync(signupId, cancellationToken);
        if (row is not { Status: SignupStatus.AwaitingActivation })
        {
            return await signups.MutateAsync(signupId,
                r => r.Status is SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces && r.ExpiresAt <= now,
                r => r.Status = SignupStatus.Expired, cancellationToken);
        }

        if (row.ExpiresAt > now)
        {
            return new Transition(row, false);
        }

        if (await accounts.TryLeavePendingAsync(signupId, AccountStatus.Expired, account => account.ClosedAt = now, cancellationToken) is null)
        {
            await CreateAccountAsync(row, AccountStatus.Expired, cancellationToken);
        }

        return await FollowAccountAsync(signupId, cancellationToken);
    }

    /// <summary>The signup row follows its account, which wins whenever the two disagree.</summary>
    public async Task<Transition> FollowAccountAsync(string signupId, CancellationToken cancellationToken)
    {
        AccountEntity? account = await accounts.GetAsync(signupId, cancellationToken);
        SignupStatus? target = account?.Status switch
        {
            AccountStatus.Active => SignupStatus.Active,
            AccountStatus.Cancelled => SignupStatus.Cancelled,
            AccountStatus.Expired => SignupStatus.Expired,
            _ => null,
        };
        return target is not { } status
            ? new Transition(await signups.GetAsync(signupId, cancellationToken), false)
            : await signups.MutateAsync(signupId, row => row.Status == SignupStatus.AwaitingActivation, row =>
            {
                row.Status = status;
                row.CurrentTokenHash = null;
            }, cancellationToken);
    }

    /// <summary>The activation is finalized, and its welcome sent if <paramref name="noticeSent"/>; the role is decided once: a role recorded before stays.</summary>
    public Task<Transition> MarkFinalizedAsync(string signupId, (MemberRole Role, MembershipStatus Membership)? claimed, bool noticeSent, CancellationToken cancellationToken) =>
        signups.MutateAsync(signupId, row => row.Status == SignupStatus.Active && !row.Finalized, row =>
        {
            if (row.Role is null && claimed is { } decided)
            {
                row.Role = decided.Role;
                row.Membership = decided.Membership;
                row.StructureExists = decided.Role != MemberRole.GestionnairePrincipal;
            }

            row.Finalized = true;
            row.NoticeSent |= noticeSent;
            row.Membership = row.Membership == MembershipStatus.Pending ? MembershipStatus.Active : row.Membership;
        }, cancellationToken);

    /// <summary>An ended signup gave back its email reservation and structure claim.</summary>
    public Task<Transition> MarkReleasedAsync(string signupId, CancellationToken cancellationToken) =>
        signups.MutateAsync(signupId, row => row.Status is SignupStatus.Expired or SignupStatus.Cancelled && !row.Released, row => row.Released = true, cancellationToken);

    /// <summary>The notice of how the signup ended went out, or was given up on.</summary>
    public Task<Transition> MarkNoticeSentAsync(string signupId, CancellationToken cancellationToken) =>
        signups.MutateAsync(signupId, row => row.Status.IsTerminal() && !row.NoticeSent, row => row.NoticeSent = true, cancellationToken);

    /// <summary>Erases an ended signup's personal data and its never-activated account's; the login email becomes its pseudonym.</summary>
    public async Task<Transition> EraseAsync(string signupId, string emailPseudonym, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        await accounts.MutateAsync(signupId, account =>
        {
            if (account.Status is not (AccountStatus.Expired or AccountStatus.Cancelled) || account.LoginEmail == emailPseudonym)
            {
                return false;
            }

            account.LoginEmail = emailPseudonym;
            account.ContactEmail = "";
            account.LastName = "";
            account.FirstName = "";
            account.SecretQuestion = null;
            return true;
        }, cancellationToken);

        return await signups.MutateAsync(signupId, row => row.Status is SignupStatus.Expired or SignupStatus.Cancelled && row.Released && row.ErasedAt is null, row =>
        {
            row.LoginEmail = emailPseudonym;
            row.ContactEmail = null;
            row.LastName = null;
            row.FirstName = null;
            row.SetAddress(StructureAddress.Empty with { Country = row.Country });
            row.RequestHash = null;
            row.ErasedAt = now;
        }, cancellationToken);
    }

    /// <summary>The outcome of joining request <paramref name="requestId"/>, unless a renewal replaced that request.</summary>
    public Task<Transition> SetMembershipAsync(string requestId, MembershipStatus membership, CancellationToken cancellationToken) =>
        signups.MutateAsync(JoinRequestIds.SignupIdOf(requestId),
            row => row.Membership != membership && row.CurrentJoinRequestId == requestId, row => row.Membership = membership, cancellationToken);

    /// <summary>A refused or lapsed requester asks again: a new generation drives attempt <paramref name="fromAttempt"/> + 1.</summary>
    public Task<Transition> RenewJoinRequestAsync(string signupId, int fromAttempt, CancellationToken cancellationToken) =>
        signups.MutateAsync(signupId,
            row => row is { Status: SignupStatus.Active, Role: MemberRole.Utilisateur, Membership: MembershipStatus.Refused or MembershipStatus.Lapsed }
                && row.JoinAttempt == fromAttempt,
            row =>
            {
                row.JoinAttempts = fromAttempt + 1;
                row.Membership = MembershipStatus.PendingApproval;
                row.Generation++;
            }, cancellationToken);

    /// <summary>A repair: the signup moves to a new orchestration instance, whatever became of the previous one.</summary>
    public Task<Transition> NextGenerationAsync(string signupId, int fromGeneration, CancellationToken cancellationToken) =>
        signups.MutateAsync(signupId, row => row.Generation == fromGeneration, row =>
        {
            row.Generation++;
            row.RepairedAt = time.GetUtcNow();
        }, cancellationToken);
}
