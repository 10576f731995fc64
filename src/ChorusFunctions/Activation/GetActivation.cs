using ChorusFunctions.Http;
using ChorusFunctions.Security.Lockout;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Activation;

/// <summary>What the activation page shows for a link.</summary>
public sealed class GetActivation(ActivationService activations, ActivationGuard guard)
{
    [Function(nameof(GetActivation))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activations/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken)
    {
        Outcome<ActivationAttempt> attempt = await guard.BeforeAsync(guard.Clients.Resolve(request), token, ActivationAction.View, cancellationToken);
        if (attempt.Problem is { } refused)
        {
            return ApiResults.Problem(refused);
        }

        Outcome<ActivationView> outcome = await activations.GetAsync(token, cancellationToken);
        await guard.AfterAsync(attempt.Value!, outcome.Problem, cancellationToken);
        return ApiResults.From(outcome, ApiResults.Ok);
    }
}
