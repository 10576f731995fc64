namespace ChorusFunctions.Signup;

/// <summary>A signup's state, for the browser that started it.</summary>
public sealed class GetSignup(SignupService signups, RequestGuard guard, TimeProvider time)
{
    [Function(nameof(GetSignup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signups/{signupId}")] HttpRequest request, string signupId,
        CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(GetSignup), request, new(signupId), () => signups.GetAsync(signupId, cancellationToken), cancellationToken),
            s => ApiResults.Ok(SignupView.From(s, time.GetUtcNow())));
}
