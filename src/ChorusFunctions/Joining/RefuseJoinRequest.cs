using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>The gestionnaire principal refuses a joining request.</summary>
public sealed class RefuseJoinRequest(JoinRequestService joinRequests, RequestGuard guard)
{
    [Function(nameof(RefuseJoinRequest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "join-requests/{token}/refusal")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(RefuseJoinRequest), request, new(Token: token), () => joinRequests.DecideAsync(token, JoinRequestStatus.Refused, durable, cancellationToken), cancellationToken),
            ApiResults.Ok);
}
