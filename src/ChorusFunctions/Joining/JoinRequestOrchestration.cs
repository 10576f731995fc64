using ChorusFunctions.Structures;
namespace ChorusFunctions.Joining;

// Orchestration inputs, outputs and event payloads; the request id is the requester's signup id. None carries a
// secret: the decision link's token is derived in the activities from the request id and never enters the history.

public sealed record JoinRequestOpened(DateTime ExpiresAt, JoinRequestStatus Status, bool HasGestionnaire);

public sealed record JoinRequestDecided(JoinRequestStatus Status, DateTime DecidedAt);

