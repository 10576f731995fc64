namespace ChorusFunctions.Signup;

/// <summary>Sends a new activation link; the previous one stops working.</summary>
public sealed class ResendActivationEmail(SignupService signups, RequestGuard guard, TimeProvider time)
{
    [Function(nameof(ResendActivationEmail))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signups/{signupId}/activation-email")] HttpRequest request,
        string signupId, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(ResendActivationEmail), request, new(signupId), () => signups.RequestNewLinkAsync(signupId, durable, cancellationToken), cancellationToken),
            s => ApiResults.Accepted($"/api/signups/{s.SignupId}", SignupView.From(s, time.GetUtcNow())));
}
