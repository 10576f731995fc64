namespace ChorusFunctions.Activation;

/// <summary>"Désactiver mon compte": closes the pending account; the login email is free again.</summary>
public sealed class DeactivateAccount(ActivationService activations, RequestGuard guard)
{
    [Function(nameof(DeactivateAccount))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}/deactivation")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        Outcome<ActivationResult> outcome = await guard.RunAsync(nameof(DeactivateAccount), request, new(Token: token), () => activations.DeactivateAsync(token, durable, cancellationToken), cancellationToken);
        return ApiResults.From(outcome, ApiResults.Ok);
    }
}
