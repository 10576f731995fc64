namespace ChorusFunctions.Activation;

/// <summary>Step 4 — Activez votre compte utilisateur: password and secret question.</summary>
public sealed class ActivateAccount(ActivationService activations, RequestGuard guard)
{
    /// <summary>The body is read once the lockout let the link by; a malformed one counts as a refused attempt.</summary>
    [Function(nameof(ActivateAccount))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}")] HttpRequest request, string token,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(ActivateAccount), request, new(Token: token),
                () => RequestReader.ReadJsonAsync<ActivateAccountRequest>(request, cancellationToken).Then(body => activations.ActivateAsync(token, body, durable, cancellationToken)), cancellationToken),
            ApiResults.Ok);
}
