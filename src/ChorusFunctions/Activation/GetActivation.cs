namespace ChorusFunctions.Activation;

/// <summary>What the activation page shows for a link.</summary>
public sealed class GetActivation(ActivationService activations, RequestGuard guard)
{
    [Function(nameof(GetActivation))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activations/{token}")] HttpRequest request, string token,
        CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(GetActivation), request, new(Token: token), () => activations.GetAsync(token, cancellationToken), cancellationToken),
            ApiResults.Ok);
}
