using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Signup;

/// <summary>Step 1 — Identifiez-vous: login email and structure identifier.</summary>
public sealed class CreateSignup(SignupService signups)
{
    [Function(nameof(CreateSignup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signups")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        Outcome<CreateSignupRequest> body = await RequestReader.ReadJsonAsync<CreateSignupRequest>(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return ApiResults.Problem(problem);
        }

        Outcome<SignupEntity> outcome = await signups.StartAsync(body.Value!, RequestLanguage.Of(request), durable, cancellationToken);
        return ApiResults.From(outcome, s => ApiResults.Created($"/api/signups/{s.SignupId}", SignupView.From(s)));
    }
}
