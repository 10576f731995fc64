using ChorusFunctions.Http;
using ChorusFunctions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Signup;

/// <summary>Step 3 — Ouvrez vos espaces de travail. The account is then created and the activation email sent.</summary>
public sealed class SubmitSignupWorkspaces(SignupService signups, SignupGuard guard, SignupCookie cookie)
{
    [Function(nameof(SubmitSignupWorkspaces))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "signups/{signupId}/workspaces")] HttpRequest request,
        string signupId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        Outcome<SubmitWorkspacesRequest> body = await RequestReader.ReadJsonAsync<SubmitWorkspacesRequest>(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return ApiResults.Problem(problem);
        }

        if ((await guard.BeforeSignupRequestAsync(request, signupId, cancellationToken)
            ?? await cookie.CheckAsync(request, signupId, cancellationToken)
            ?? await guard.BeforeFirstLinkAsync(cancellationToken)) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        Outcome<SignupEntity> outcome = await signups.SubmitWorkspacesAsync(signupId, body.Value!, durable, cancellationToken);
        return ApiResults.From(outcome, s => ApiResults.Accepted($"/api/signups/{s.SignupId}", SignupView.From(s)));
    }
}
