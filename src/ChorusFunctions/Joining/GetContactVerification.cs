namespace ChorusFunctions.Joining;

/// <summary>The contact-address verification page's summary; a GET never verifies (mail scanners open links).</summary>
public sealed class GetContactVerification(ContactEmailVerification verification, RequestGuard guard)
{
    [Function(nameof(GetContactVerification))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "contact-verifications/{token}")] HttpRequest request,
        string token, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(GetContactVerification), request, new(Token: token), () => verification.GetAsync(token, cancellationToken), cancellationToken),
            ApiResults.Ok);
}
