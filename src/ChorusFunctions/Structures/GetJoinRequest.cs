using ChorusFunctions.Http;
using ChorusFunctions.Joining;
using ChorusFunctions.Security.Lockout;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Structures;

/// <summary>What the gestionnaire principal sees of a joining request before deciding.</summary>
public sealed class GetJoinRequest(JoinRequestService joinRequests, ActivationGuard guard)
{
    [Function(nameof(GetJoinRequest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "join-requests/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        ApiResults.From(await guard.GuardDecisionLinkAsync(request, token, () => joinRequests.GetAsync(token, cancellationToken), cancellationToken), ApiResults.Ok);
}
