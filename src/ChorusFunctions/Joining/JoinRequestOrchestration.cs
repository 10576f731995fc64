using ChorusFunctions.Structures;
namespace ChorusFunctions.Joining;

/// <summary>External event names of the joining-request orchestration.</summary>
public static class JoinRequestEvents
{
    public const string Decided = "JoinRequestDecided";
}

/// <summary>Activity names, referenced by the orchestrator and by the <c>[Function]</c> attributes.</summary>
public static class JoinRequestActivityNames
{
    public const string Open = "OpenJoinRequest";
    public const string SendRequestEmail = "SendJoinRequestEmail";
    public const string Lapse = "LapseJoinRequest";
    public const string Complete = "CompleteJoinRequest";
    public const string SendOutcomeEmail = "SendJoinOutcomeEmail";
}

// Orchestration inputs, outputs and event payloads; the request id is the requester's signup id. None carries a
// secret: the decision link's token is derived in the activities from the request id and never enters the history.

public sealed record JoinRequestOpened(DateTime ExpiresAt, JoinRequestStatus Status, bool HasGestionnaire);

public sealed record JoinRequestDecided(JoinRequestStatus Status, DateTime DecidedAt);

