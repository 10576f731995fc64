namespace ChorusFunctions.Joining;

/// <summary>What the gestionnaire principal sees of a joining request before deciding.</summary>
public sealed class GetJoinRequest(JoinRequestService joinRequests, RequestGuard guard)
{
    [Function(nameof(GetJoinRequest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "join-requests/{token}")] HttpRequest request, string token,
        CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(GetJoinRequest), request, new(Token: token), () => joinRequests.GetAsync(token, cancellationToken), cancellationToken),
            ApiResults.Ok);
}
