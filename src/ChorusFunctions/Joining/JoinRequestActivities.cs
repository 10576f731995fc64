using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>The joining-request orchestration's activities, named after their methods: thin entry points into <see cref="JoinRequestLifecycle"/>.</summary>
public sealed class JoinRequestActivities(JoinRequestLifecycle lifecycle)
{
    [Function(nameof(OpenJoinRequest))]
    public Task<JoinRequestOpened> OpenJoinRequest([ActivityTrigger] string requestId) =>
        lifecycle.OpenAsync(requestId, CancellationToken.None);

    [Function(nameof(SendJoinRequestEmail))]
    public Task<bool> SendJoinRequestEmail([ActivityTrigger] string requestId) =>
        lifecycle.SendRequestEmailAsync(requestId, CancellationToken.None);

    [Function(nameof(LapseJoinRequest))]
    public Task<JoinRequestStatus> LapseJoinRequest([ActivityTrigger] string requestId) =>
        lifecycle.LapseAsync(requestId, CancellationToken.None);

    [Function(nameof(CompleteJoinRequest))]
    public Task<JoinRequestStatus> CompleteJoinRequest([ActivityTrigger] string requestId) =>
        lifecycle.CompleteAsync(requestId, CancellationToken.None);

    [Function(nameof(SendJoinOutcomeEmail))]
    public Task<bool> SendJoinOutcomeEmail([ActivityTrigger] string requestId) =>
        lifecycle.SendOutcomeEmailAsync(requestId, CancellationToken.None);
}
