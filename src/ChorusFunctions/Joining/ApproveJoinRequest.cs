using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>The gestionnaire principal accepts a joining request: the requester becomes an active member.</summary>
public sealed class ApproveJoinRequest(JoinRequestService joinRequests, RequestGuard guard)
{
    [Function(nameof(ApproveJoinRequest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "join-requests/{token}/approval")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(ApproveJoinRequest), request, new(Token: token), () => joinRequests.DecideAsync(token, JoinRequestStatus.Approved, durable, cancellationToken), cancellationToken),
            ApiResults.Ok);
}
