using ChorusFunctions.Accounts;
using ChorusFunctions.Activation;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Email;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Structures;
using ChorusFunctions.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Signup;

/// <summary>
/// The side effects of a signup's life after step 3 — pending account, activation links, activation, expiry and
/// release. Each operation is idempotent: activities are retried, and the HTTP steps and the cleanup call the same
/// operations when an orchestration cannot.
/// </summary>
public sealed partial class SignupLifecycle(
    SignupStore signups,
    AccountStore accounts,
    StructureStore structures,
    EmailReservationStore reservations,
    ActivationTokenStore tokens,
    ActivationTokens tokenFactory,
    ExpiryIndex expiryIndex,
    IEmailSender emailSender,
    EmailComposer composer,
    IOptions<SignupOptions> options,
    SignupMetrics metrics,
    TimeProvider time,
    ILogger<SignupLifecycle> logger,
    AuditTrail? audit = null) // Security (issue 5): audit trail of emails sent and expiries; optional for tests.
{
    public const string ActivationPurpose = "activation";

    public async Task<PendingAccountCreated> CreatePendingAccountAsync(string signupId, CancellationToken cancellationToken)
    {
        SignupEntity signup = await signups.GetAsync(signupId, cancellationToken)
            ?? throw new InvalidOperationException($"Signup {signupId} does not exist.");
        if (signup.Role is not null && signup.Membership is not null)
        {
            return new PendingAccountCreated(signup.Role, signup.Membership);
        }

        DateTimeOffset now = time.GetUtcNow();
        await accounts.CreatePendingAsync(new AccountEntity
        {
            PartitionKey = signupId,
            Status = nameof(AccountStatus.Pending),
            LoginEmail = signup.LoginEmail,
            ContactEmail = signup.ContactEmail ?? signup.LoginEmail,
            LastName = signup.LastName ?? "",
            FirstName = signup.FirstName ?? "",
            StructureKey = signup.StructureKey,
            Role = "",
            Workspaces = signup.Workspaces ?? "",
            PaymentRequests = signup.PaymentRequests,
            Dume = signup.Dume,
            Language = signup.Language,
            CreatedAt = now,
        }, cancellationToken);

        (MemberRole role, MembershipStatus membership) = await ClaimStructureAsync(signup, now, cancellationToken);
        await signups.MutateAsync(signupId, row =>
        {
            row.Role = role.ToString();
            row.Membership = membership.ToString();
            row.StructureExists = role != MemberRole.GestionnairePrincipal;
            return true;
        }, cancellationToken);

        LogAccountCreated(signupId, role, membership);
        return new PendingAccountCreated(role.ToString(), membership.ToString());
    }

    /// <summary>
    /// The first user of a structure becomes its gestionnaire principal; later users file a joining request. The
    /// structure row's keyed insert decides, so two racing first users get exactly one gestionnaire principal.
    /// </summary>
    async Task<(MemberRole Role, MembershipStatus Membership)> ClaimStructureAsync(SignupEntity signup, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var structure = new StructureEntity
        {
            PartitionKey = signup.StructureKey,
            IdentifierType = signup.IdentifierType,
            Identifier = signup.Identifier,
            Status = nameof(StructureStatus.Pending),
            CreatedBySignupId = signup.SignupId,
            CreatedAt = now,
            CompanyName = signup.CompanyName,
            Label = signup.Label,
            Address = signup.Address,
            AddressComplement1 = signup.AddressComplement1,
            AddressComplement2 = signup.AddressComplement2,
            PostalCode = signup.PostalCode,
            City = signup.City,
            Country = signup.Country,
        };
        MemberEntity Member(MemberRole role, MembershipStatus status) => new()
        {
            PartitionKey = signup.StructureKey,
            RowKey = MemberEntity.RowOf(signup.SignupId),
            AccountId = signup.SignupId,
            Role = role.ToString(),
            Status = status.ToString(),
            CreatedAt = now,
        };

        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (await structures.TryCreateAsync(structure, Member(MemberRole.GestionnairePrincipal, MembershipStatus.Pending), cancellationToken))
            {
                return (MemberRole.GestionnairePrincipal, MembershipStatus.Pending);
            }

            StructureEntity? existing = await structures.GetAsync(signup.StructureKey, cancellationToken);
            if (existing is null)
            {
                continue; // Released meanwhile: try to create it again.
            }

            if (existing.GetStatus() == StructureStatus.Pending && existing.CreatedBySignupId != signup.SignupId
                && await IsEndedAsync(existing.CreatedBySignupId, now, cancellationToken)
                && await structures.TryTakeOverAsync(existing, structure, Member(MemberRole.GestionnairePrincipal, MembershipStatus.Pending), cancellationToken))
            {
                return (MemberRole.GestionnairePrincipal, MembershipStatus.Pending);
            }

            MemberEntity member = await structures.AddMemberAsync(Member(MemberRole.Utilisateur, MembershipStatus.PendingApproval), cancellationToken);
            return (Enum.Parse<MemberRole>(member.Role), Enum.Parse<MembershipStatus>(member.Status));
        }

        throw new InvalidOperationException($"Structure {signup.StructureKey} kept changing; the activity will retry.");
    }

    async Task<bool> IsEndedAsync(string signupId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SignupEntity? other = await signups.GetAsync(signupId, cancellationToken);
        if (other is null)
        {
            return true;
        }

        SignupStatus status = other.GetStatus();
        return status is SignupStatus.Expired or SignupStatus.Cancelled || (!status.IsTerminal() && other.ExpiresAt <= now);
    }

    /// <summary>
    /// Issues link number <paramref name="input"/>.Sequence and emails it. The token is derived from the nonce, so a
    /// retry re-sends the same link; the previous link stops working because only the current hash is accepted.
    /// </summary>
    public async Task<bool> SendActivationLinkAsync(SendActivationLinkInput input, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await signups.GetAsync(input.SignupId, cancellationToken);
        if (signup is null || signup.GetStatus() != SignupStatus.AwaitingActivation)
        {
            return false;
        }

        string token = tokenFactory.Derive(input.Nonce, ActivationPurpose);
        string hash = ActivationTokens.Hash(token);
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset linkExpiresAt = Min(now + options.Value.ActivationLinkLifetime, signup.ExpiresAt);

        await tokens.SaveAsync(new ActivationTokenEntity { PartitionKey = hash, SignupId = input.SignupId, Sequence = input.Sequence, ExpiresAt = linkExpiresAt }, cancellationToken);
        await expiryIndex.AddAsync(ExpiryKind.Token, hash, linkExpiresAt, cancellationToken);
        SignupEntity? current = await signups.MutateAsync(input.SignupId, row =>
        {
            if (row.GetStatus() != SignupStatus.AwaitingActivation || row.LinkSequence > input.Sequence)
            {
                return false;
            }

            row.CurrentTokenHash = hash;
            row.LinkSequence = input.Sequence;
            row.LinkExpiresAt = linkExpiresAt;
            row.EmailDelivery = nameof(EmailDelivery.Pending);
            return true;
        }, cancellationToken);

        if (current?.CurrentTokenHash != hash)
        {
            return false;
        }

        EmailMessage message = composer.ActivationLink(current, token, linkExpiresAt, input.Sequence);
        await emailSender.SendAsync(message, cancellationToken);
        if (audit is not null)
        {
            await audit.RecordAsync(input.SignupId, AuditEvent.EmailSent, client: null, $"link {input.Sequence}");
        }

        await signups.MutateAsync(input.SignupId, row =>
        {
            bool stillCurrent = row.CurrentTokenHash == hash;
            if (stillCurrent)
            {
                row.EmailDelivery = nameof(EmailDelivery.Sent);
            }

            return stillCurrent;
        }, cancellationToken);

        LogLinkSent(input.SignupId, input.Sequence);
        return true;
    }

    public async Task RecordEmailFailureAsync(string signupId, CancellationToken cancellationToken)
    {
        await signups.MutateAsync(signupId, row =>
        {
            row.EmailDelivery = nameof(EmailDelivery.Failed);
            return row.GetStatus() == SignupStatus.AwaitingActivation;
        }, cancellationToken);
        metrics.EmailFailed(ActivationPurpose);
        LogEmailFailed(signupId);
    }

    /// <summary>Tells the user how the signup ended (welcome or expired), in the signup's language.</summary>
    public async Task SendNoticeAsync(SignupNoticeInput input, CancellationToken cancellationToken)
    {
        SignupEntity? signup = await signups.GetAsync(input.SignupId, cancellationToken);
        if (signup is null)
        {
            return;
        }

        EmailRecipient to = EmailRecipient.Of(signup);
        EmailMessage message = input.Notice switch
        {
            SignupNotice.Welcome => composer.AccountActivated(to, signup.SignupId, signup.CompanyName ?? "", signup.Role == nameof(MemberRole.GestionnairePrincipal)),
            _ => composer.SignupExpired(to, signup.SignupId, signup.CompanyName ?? "", signup.ExpiresAt),
        };
        await emailSender.SendAsync(message, cancellationToken);
    }

    /// <summary>After the account became active: the signup, the email reservation and the structure follow.</summary>
    public async Task FinalizeActivationAsync(string signupId, CancellationToken cancellationToken)
    {
        AccountEntity? account = await accounts.GetAsync(signupId, cancellationToken);
        if (account?.GetStatus() != AccountStatus.Active)
        {
            return;
        }

        bool change = false;
        SignupEntity? signup = await signups.MutateAsync(signupId, row =>
        {
            change = row.GetStatus() != SignupStatus.Active;
            row.Status = nameof(SignupStatus.Active);
            row.CurrentTokenHash = null;
            if (row.Membership == nameof(MembershipStatus.Pending))
            {
                row.Membership = nameof(MembershipStatus.Active);
            }

            return change;
        }, cancellationToken);

        if (change && signup is not null)
        {
            metrics.SignupActivated((account.ActivatedAt ?? time.GetUtcNow()) - signup.CreatedAt);
        }

        await reservations.BindToAccountAsync(account.LoginEmail, signupId, cancellationToken);
        if (signup?.Role == nameof(MemberRole.GestionnairePrincipal))
        {
            await structures.UpdateMemberStatusAsync(signup.StructureKey, signupId, MembershipStatus.Active, cancellationToken);
            await structures.ActivateAsync(signup.StructureKey, cancellationToken);
        }
    }

    /// <summary>
    /// The deadline passed. The account's compare-and-swap decides against a concurrent activation: if activation
    /// won, the signup is finalized as active instead. Returns the signup's final status.
    /// </summary>
    public async Task<SignupStatus> ExpireAsync(string signupId, CancellationToken cancellationToken)
    {
        AccountStatus? accountStatus = await accounts.TryLeavePendingAsync(signupId, AccountStatus.Expired, a => a.ClosedAt = time.GetUtcNow(), cancellationToken);
        if (accountStatus == AccountStatus.Active)
        {
            await FinalizeActivationAsync(signupId, cancellationToken);
            return SignupStatus.Active;
        }

        SignupStatus final = accountStatus == AccountStatus.Cancelled ? SignupStatus.Cancelled : SignupStatus.Expired;
        await EndAsync(signupId, final, cancellationToken);
        if (audit is not null && final == SignupStatus.Expired)
        {
            await audit.RecordAsync(signupId, AuditEvent.Expiry, client: null);
        }

        LogExpired(signupId, final);
        return final;
    }

    /// <summary>Marks the signup ended (unless already ended) and gives back what it reserved.</summary>
    public async Task EndAsync(string signupId, SignupStatus final, CancellationToken cancellationToken)
    {
        string? endedAt = null;
        SignupEntity? signup = await signups.MutateAsync(signupId, row =>
        {
            endedAt = null;
            if (row.GetStatus().IsTerminal())
            {
                return false;
            }

            endedAt = row.Status;
            row.Status = final.ToString();
            row.CurrentTokenHash = null;
            return true;
        }, cancellationToken);

        if (endedAt is not null)
        {
            if (final == SignupStatus.Expired)
            {
                metrics.SignupExpired(endedAt);
            }
            else
            {
                metrics.SignupCancelled(endedAt);
            }
        }

        if (signup is null || signup.GetStatus() == SignupStatus.Active || signup.Released)
        {
            return;
        }

        await reservations.ReleaseAsync(signup.LoginEmail, signupId, cancellationToken);
        if (signup.Role is not null)
        {
            await structures.ReleaseAsync(signup.StructureKey, signupId, signupId, cancellationToken);
        }

        await signups.MutateAsync(signupId, row =>
        {
            row.Released = true;
            return true;
        }, cancellationToken);
        LogReleased(signupId, signup.GetStatus());
    }

    static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: pending account created as {Role} ({Membership})")]
    partial void LogAccountCreated(string signupId, MemberRole role, MembershipStatus membership);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: activation link {Sequence} sent")]
    partial void LogLinkSent(string signupId, int sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: the activation email could not be delivered")]
    partial void LogEmailFailed(string signupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} ended at its deadline as {Status}")]
    partial void LogExpired(string signupId, SignupStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} ({Status}) released its email and structure")]
    partial void LogReleased(string signupId, SignupStatus status);
}
