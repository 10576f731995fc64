using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Structures;

/// <summary>What the gestionnaire principal sees of a joining request before deciding.</summary>
public sealed class GetJoinRequest(JoinRequestService joinRequests)
{
    [Function(nameof(GetJoinRequest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "join-requests/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        ApiResults.From(await joinRequests.GetAsync(token, cancellationToken), ApiResults.Ok);
}
