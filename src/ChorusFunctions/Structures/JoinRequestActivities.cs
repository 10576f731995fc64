using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Structures;

/// <summary>The joining-request orchestration's activities: thin entry points into <see cref="JoinRequestLifecycle"/>.</summary>
public sealed class JoinRequestActivities(JoinRequestLifecycle lifecycle)
{
    [Function(JoinRequestActivityNames.Open)]
    public Task<JoinRequestOpened> OpenJoinRequest([ActivityTrigger] OpenJoinRequestInput input) =>
        lifecycle.OpenAsync(input, CancellationToken.None);

    [Function(JoinRequestActivityNames.SendRequestEmail)]
    public Task<bool> SendJoinRequestEmail([ActivityTrigger] OpenJoinRequestInput input) =>
        lifecycle.SendRequestEmailAsync(input, CancellationToken.None);

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
