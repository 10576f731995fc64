namespace ChorusFunctions.Signup;

/// <summary>Abandons a signup before step 3, e.g. when the user goes back to step 1 and changes the email or SIRET.</summary>
public sealed class CancelSignup(SignupService signups, RequestGuard guard, TimeProvider time)
{
    [Function(nameof(CancelSignup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "signups/{signupId}")] HttpRequest request, string signupId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(CancelSignup), request, new(signupId), () => signups.CancelAsync(signupId, durable, cancellationToken), cancellationToken),
            s => ApiResults.Ok(SignupView.From(s, time.GetUtcNow())));
}
