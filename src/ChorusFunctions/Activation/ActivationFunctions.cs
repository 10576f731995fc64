using ChorusFunctions.Signup;

namespace ChorusFunctions.Activation;

/// <summary>The HTTP functions of step 4 — Activez votre compte — each a guarded call keyed by the link's token.</summary>
public sealed class ActivationFunctions(ActivationService activations, SignupService signups, RequestGuard guard)
{
    /// <summary>What the activation page shows for a link.</summary>
    [Function(nameof(GetActivation))]
    public async Task<IActionResult> GetActivation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "activations/{token}")] HttpRequest request, string token,
        CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(GetActivation), request, new(Token: token), () => activations.GetAsync(token, cancellationToken), cancellationToken),
            ApiResults.Ok);

    /// <summary>Password and secret question. The body is read once the lockout let the link by; a malformed one counts as a refused attempt.</summary>
    [Function(nameof(ActivateAccount))]
    public async Task<IActionResult> ActivateAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}")] HttpRequest request, string token,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(ActivateAccount), request, new(Token: token),
                () => RequestReader.ReadJsonAsync<ActivateAccountRequest>(request, cancellationToken).Then(body => activations.ActivateAsync(token, body, durable, cancellationToken)), cancellationToken),
            ApiResults.Ok);

    /// <summary>"Désactiver mon compte": closes the pending account; the login email is free again.</summary>
    [Function(nameof(DeactivateAccount))]
    public async Task<IActionResult> DeactivateAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}/deactivation")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(DeactivateAccount), request, new(Token: token), () => activations.DeactivateAsync(token, durable, cancellationToken), cancellationToken),
            ApiResults.Ok);

    /// <summary>A new link asked for with an old one: the same bodiless 202 whether a link goes out now or one is on its way.</summary>
    [Function(nameof(RenewActivationLink))]
    public async Task<IActionResult> RenewActivationLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}/renewal")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(RenewActivationLink), request, new(Token: token), () => activations.RenewableSignupAsync(token, cancellationToken), cancellationToken)
                .Then(signupId => guard.RunAsync(GuardPolicies.NewLinkByToken, request, new(signupId), () => signups.RequestNewLinkAsync(signupId, durable, cancellationToken), cancellationToken)),
            _ => ApiResults.Accepted());
}
