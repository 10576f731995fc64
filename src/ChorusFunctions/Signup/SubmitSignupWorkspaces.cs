namespace ChorusFunctions.Signup;

/// <summary>Step 3 — Ouvrez vos espaces de travail. The account is then created and the activation email sent.</summary>
public sealed class SubmitSignupWorkspaces(SignupService signups, RequestGuard guard, TimeProvider time)
{
    [Function(nameof(SubmitSignupWorkspaces))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "signups/{signupId}/workspaces")] HttpRequest request,
        string signupId, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        Outcome<SubmitWorkspacesRequest> body = await RequestReader.ReadJsonAsync<SubmitWorkspacesRequest>(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return ApiResults.Problem(problem);
        }

        Outcome<SignupEntity> outcome = await guard.RunAsync(nameof(SubmitSignupWorkspaces), request, new(signupId), () => signups.SubmitWorkspacesAsync(signupId, body.Value!, durable, cancellationToken), cancellationToken);
        return ApiResults.From(outcome, s => ApiResults.Accepted($"/api/signups/{s.SignupId}", SignupView.From(s, time.GetUtcNow())));
    }
}
