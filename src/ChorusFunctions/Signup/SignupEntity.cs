using ChorusFunctions.Storage;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Signup;

/// <summary>One signup (table <c>Signups</c>): where it stands and what it still owes; written only by <see cref="SignupStateMachine"/>.</summary>
public sealed class SignupEntity : AddressRow, ISignupResult
{
    public const string Row = "signup";

    public override string RowKey { get; set; } = Row;

    public required SignupStatus Status { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    public required string LoginEmail { get; set; }

    public string Language { get; set; } = "fr";

    public string? ContactEmail { get; set; }

    public string? LastName { get; set; }

    public string? FirstName { get; set; }

    public required IdentifierType IdentifierType { get; set; }

    public required string Identifier { get; set; }

    public required string StructureKey { get; set; }

    public bool Prefilled { get; set; }

    public bool StructureExists { get; set; }

    public bool PaymentRequests { get; set; } = true;

    public bool Dume { get; set; }

    /// <summary>Comma-separated workspace codes, set at step 3.</summary>
    public string? Workspaces { get; set; }

    public MemberRole? Role { get; set; }

    public MembershipStatus? Membership { get; set; }

    public EmailDelivery? EmailDelivery { get; set; }

    public string? CurrentTokenHash { get; set; }

    /// <summary>The activation link the signup owes: step 3 asks for link 1, each new-link request for the next.</summary>
    public int LinkRequested { get; set; }

    /// <summary>When the owed link was asked for; a link still owed long after this means the orchestration stalled.</summary>
    public DateTimeOffset? LinkRequestedAt { get; set; }

    /// <summary>The last link issued (its hash is <see cref="CurrentTokenHash"/>).</summary>
    public int LinkSequence { get; set; }

    /// <summary>True once an active signup's email reservation, membership and structure follow its account.</summary>
    public bool Finalized { get; set; }

    /// <summary>True once the welcome or expiry notice went out (or was given up on).</summary>
    public bool NoticeSent { get; set; }

    /// <summary>True once the email reservation and structure claim were given back (expiry or cancellation).</summary>
    public bool Released { get; set; }

    /// <summary>When the personal data of this ended signup (and of its never-activated account) was erased.</summary>
    public DateTimeOffset? ErasedAt { get; set; }

    /// <summary>Which execution drives the signup: a repair starts a new one under a new instance id.</summary>
    public int Generation { get; set; }

    /// <summary>Joining requests filed for this account so far (0 on rows from before renewals: one).</summary>
    public int JoinAttempts { get; set; }

    /// <summary>When the last repair started a new execution: what is owed is judged from then on.</summary>
    public DateTimeOffset? RepairedAt { get; set; }

    /// <summary>Step 2 found the login email held by another: answered like any other, but owes the attempt notice instead of links.</summary>
    public bool Duplicate { get; set; }

    /// <summary>SHA-256 of step 1's request when it came with an <c>Idempotency-Key</c>: a retry must match it.</summary>
    public string? RequestHash { get; set; }

    /// <summary>SHA-256 of the secret in the cookie of the browser that started the signup (see <see cref="SignupCookie"/>).</summary>
    public string? OwnerHash { get; set; }

    /// <summary>The joining request the account has now (rows from before renewals count as attempt 1).</summary>
    [System.Runtime.Serialization.IgnoreDataMember]
    public int JoinAttempt => Math.Max(1, JoinAttempts);

    [System.Runtime.Serialization.IgnoreDataMember]
    public string CurrentJoinRequestId => JoinRequestIds.Of(SignupId, JoinAttempt);

    public string SignupId => PartitionKey;
}
