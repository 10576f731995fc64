using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Lockout;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Structures;

/// <summary>The gestionnaire principal refuses a joining request.</summary>
public sealed class RefuseJoinRequest(JoinRequestService joinRequests, ActivationGuard guard)
{
    [Function(nameof(RefuseJoinRequest))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "join-requests/{token}/refusal")] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ClientContext client = guard.Clients.Resolve(request);
        if (await guard.BeforeDecisionLinkAsync(client, token, cancellationToken) is { } refused)
        {
            return ApiResults.Problem(refused);
        }

        Outcome<JoinRequestView> outcome = await joinRequests.DecideAsync(token, JoinRequestStatus.Refused, durable, cancellationToken);
        await guard.AfterDecisionLinkAsync(client, token, outcome.Problem, cancellationToken);
        return ApiResults.From(outcome, ApiResults.Ok);
    }
}
