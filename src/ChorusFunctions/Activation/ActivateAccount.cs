using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Activation;

/// <summary>Step 4 — Activez votre compte utilisateur: password and secret question.</summary>
public sealed class ActivateAccount(ActivationService activations)
{
    [Function(nameof(ActivateAccount))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}")] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        Outcome<ActivateAccountRequest> body = await RequestReader.ReadJsonAsync<ActivateAccountRequest>(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return ApiResults.Problem(problem);
        }

        return ApiResults.From(await activations.ActivateAsync(token, body.Value!, durable, cancellationToken), ApiResults.Ok);
    }
}
