namespace ChorusFunctions.Signup;

/// <summary>Step 2 — Complétez les informations demandées.</summary>
public sealed class SubmitSignupDetails(SignupService signups, RequestGuard guard, TimeProvider time)
{
    [Function(nameof(SubmitSignupDetails))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "signups/{signupId}/details")] HttpRequest request,
        string signupId, CancellationToken cancellationToken)
    {
        Outcome<SubmitDetailsRequest> body = await RequestReader.ReadJsonAsync<SubmitDetailsRequest>(request, cancellationToken);
        return body.Problem is { } problem
            ? ApiResults.Problem(problem)
            : ApiResults.From(
                  await guard.RunAsync(nameof(SubmitSignupDetails), request, new(signupId), () => signups.SubmitDetailsAsync(signupId, body.Value!, cancellationToken), cancellationToken),
                  s => ApiResults.Ok(SignupView.From(s, time.GetUtcNow())));
    }
}
