using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Activation;

/// <summary>What the activation page shows for a link.</summary>
public sealed class GetActivation(ActivationService activations)
{
    [Function(nameof(GetActivation))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activations/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        ApiResults.From(await activations.GetAsync(token, cancellationToken), ApiResults.Ok);
}
