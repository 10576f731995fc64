using ChorusFunctions.Structures;
namespace ChorusFunctions.Joining;

/// <summary>What the gestionnaire principal sees of a joining request and of a decision: who asks, for which structure, until when.</summary>
public sealed record JoinRequestView(
    JoinRequestStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    JoinRequesterView Requester,
    JoinRequestStructureView Structure);

public sealed record JoinRequesterView(string LastName, string FirstName, string LoginEmail, string ContactEmail);

public sealed record JoinRequestStructureView(string IdentifierType, string Identifier, string? CompanyName);

/// <summary>A renewed joining request: its number, of at most <c>MaxAttempts</c>. It is pending; the gestionnaire principal is emailed.</summary>
public sealed record JoinRenewalView(int Attempt, int MaxAttempts)
{
    public JoinRequestStatus Status => JoinRequestStatus.Pending;
}
