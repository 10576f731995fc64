using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>The joining-request orchestration's activities: thin entry points into <see cref="JoinRequestLifecycle"/>.</summary>
public sealed class JoinRequestActivities(JoinRequestLifecycle lifecycle)
{
    [Function(JoinRequestActivityNames.Open)]
    public Task<JoinRequestOpened> OpenJoinRequest([ActivityTrigger] string requestId) =>
        lifecycle.OpenAsync(requestId, CancellationToken.None);

    [Function(JoinRequestActivityNames.SendRequestEmail)]
    public Task<bool> SendJoinRequestEmail([ActivityTrigger] string requestId) =>
        lifecycle.SendRequestEmailAsync(requestId, CancellationToken.None);

    [Function(JoinRequestActivityNames.Lapse)]
    public Task<JoinRequestStatus> LapseJoinRequest([ActivityTrigger] string requestId) =>
        lifecycle.LapseAsync(requestId, CancellationToken.None);

    [Function(JoinRequestActivityNames.Complete)]
    public Task<JoinRequestStatus> CompleteJoinRequest([ActivityTrigger] string requestId) =>
        lifecycle.CompleteAsync(requestId, CancellationToken.None);

    [Function(JoinRequestActivityNames.SendOutcomeEmail)]
    public Task<bool> SendJoinOutcomeEmail([ActivityTrigger] string requestId) =>
        lifecycle.SendOutcomeEmailAsync(requestId, CancellationToken.None);
}
