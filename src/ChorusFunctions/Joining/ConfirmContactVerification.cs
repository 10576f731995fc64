namespace ChorusFunctions.Joining;

/// <summary>The gestionnaire principal confirms their contact address: joining requests go to it too from then on.</summary>
public sealed class ConfirmContactVerification(ContactEmailVerification verification, RequestGuard guard)
{
    [Function(nameof(ConfirmContactVerification))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contact-verifications/{token}")] HttpRequest request,
        string token, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(ConfirmContactVerification), request, new(Token: token), () => verification.ConfirmAsync(token, cancellationToken), cancellationToken),
            ApiResults.Ok);
}
