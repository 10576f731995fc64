using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

public enum MemberRole
{
    GestionnairePrincipal,
    Utilisateur,
}

public enum MembershipStatus
{
    /// <summary>A membership claimed before activation, as rows were before the role waited for it; active once finalized.</summary>
    Pending,
    Active,
    /// <summary>A joining request (rattachement) awaiting the gestionnaire principal's decision.</summary>
    PendingApproval,
    Refused,
    Lapsed,
}

/// <summary>A structure (partition = structure key); its members share the partition so a structure and its first member are one transaction.</summary>
public sealed class StructureEntity : AddressRow
{
    public const string Row = "structure";

    public override string RowKey { get; set; } = Row;

    public required IdentifierType IdentifierType { get; set; }

    public required string Identifier { get; set; }

    public required string CreatedBySignupId { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    /// <summary>The gestionnaire principal's contact address (normalised) that the current verification link is for, or that was verified.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>When <see cref="ContactEmail"/> was verified by its own link; null while it is not.</summary>
    public DateTimeOffset? ContactEmailVerifiedAt { get; set; }

    /// <summary>Verification emails sent to <see cref="ContactEmail"/> (at most <c>Structures__MaxContactVerificationEmails</c>).</summary>
    public int ContactVerificationsSent { get; set; }

    /// <summary>The joining request whose email last sent the verification link: a retried send sends the same link.</summary>
    public string? ContactVerificationSubject { get; set; }

    /// <summary>SHA-256 of the current verification link's token; a newer link replaces it.</summary>
    public string? ContactVerificationTokenHash { get; set; }
}

public sealed class MemberEntity : TableRow
{
    public const string RowPrefix = "member_";

    public required override string RowKey { get; set; }

    public required string AccountId { get; set; }

    public required MemberRole Role { get; set; }

    public required MembershipStatus Status { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public static string RowOf(string accountId) => RowPrefix + accountId;
}
