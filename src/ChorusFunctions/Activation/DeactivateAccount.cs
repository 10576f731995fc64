using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Activation;

/// <summary>"Désactiver mon compte": closes the pending account; the login email is free again.</summary>
public sealed class DeactivateAccount(ActivationService activations)
{
    [Function(nameof(DeactivateAccount))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}/deactivation")] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        ApiResults.From(await activations.DeactivateAsync(token, durable, cancellationToken), ApiResults.Ok);
}
