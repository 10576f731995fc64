using ChorusFunctions.Http;
using ChorusFunctions.Security.Lockout;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Activation;

/// <summary>"Désactiver mon compte": closes the pending account; the login email is free again.</summary>
public sealed class DeactivateAccount(ActivationService activations, ActivationGuard guard)
{
    [Function(nameof(DeactivateAccount))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}/deactivation")] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        Outcome<ActivationAttempt> attempt = await guard.BeforeAsync(guard.Clients.Resolve(request), token, ActivationAction.Deactivate, cancellationToken);
        if (attempt.Problem is { } refused)
        {
            return ApiResults.Problem(refused);
        }

        Outcome<ActivationResult> outcome = await activations.DeactivateAsync(token, durable, cancellationToken);
        await guard.AfterAsync(attempt.Value!, outcome.Problem, cancellationToken);
        return ApiResults.From(outcome, ApiResults.Ok);
    }
}
