using ChorusFunctions.Http;
using ChorusFunctions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Signup;

/// <summary>Step 2 — Complétez les informations demandées.</summary>
public sealed class SubmitSignupDetails(SignupService signups, SignupGuard guard, SignupCookie cookie)
{
    [Function(nameof(SubmitSignupDetails))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "signups/{signupId}/details")] HttpRequest request,
        string signupId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        Outcome<SubmitDetailsRequest> body = await RequestReader.ReadJsonAsync<SubmitDetailsRequest>(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return ApiResults.Problem(problem);
        }

        if ((await guard.BeforeSignupRequestAsync(request, signupId, cancellationToken) ?? await cookie.CheckAsync(request, signupId, cancellationToken)) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        Outcome<SignupEntity> outcome = await signups.SubmitDetailsAsync(signupId, body.Value!, durable, cancellationToken);
        return ApiResults.From(outcome, s => ApiResults.Ok(SignupView.From(s)));
    }
}
