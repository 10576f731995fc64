using ChorusFunctions.Http;
using ChorusFunctions.Security.Lockout;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Activation;

/// <summary>Step 4 — Activez votre compte utilisateur: password and secret question.</summary>
public sealed class ActivateAccount(ActivationService activations, ActivationGuard guard)
{
    [Function(nameof(ActivateAccount))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}")] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        Outcome<ActivationAttempt> attempt = await guard.BeforeAsync(guard.Clients.Resolve(request), token, ActivationAction.Activate, cancellationToken);
        if (attempt.Problem is { } refused)
        {
            return ApiResults.Problem(refused);
        }

        Outcome<ActivateAccountRequest> body = await RequestReader.ReadJsonAsync<ActivateAccountRequest>(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            await guard.AfterAsync(attempt.Value!, problem, cancellationToken);
            return ApiResults.Problem(problem);
        }

        Outcome<ActivationResult> outcome = await activations.ActivateAsync(token, body.Value!, durable, cancellationToken);
        await guard.AfterAsync(attempt.Value!, outcome.Problem, cancellationToken);
        return ApiResults.From(outcome, ApiResults.Ok);
    }
}
