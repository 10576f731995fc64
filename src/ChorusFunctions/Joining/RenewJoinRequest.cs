namespace ChorusFunctions.Joining;

/// <summary>A refused or lapsed requester asks again, from the renewal link of their outcome email.</summary>
public sealed class RenewJoinRequest(JoinRequestService joinRequests, RequestGuard guard)
{
    [Function(nameof(RenewJoinRequest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "join-requests/{token}/renewal")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(RenewJoinRequest), request, new(Token: token), () => joinRequests.RenewAsync(token, durable, cancellationToken), cancellationToken),
            ApiResults.Ok);
}
