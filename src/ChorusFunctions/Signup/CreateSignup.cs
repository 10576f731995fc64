using ChorusFunctions.Http;
using ChorusFunctions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Signup;

/// <summary>Step 1 — Identifiez-vous: login email and structure identifier.</summary>
public sealed class CreateSignup(SignupService signups, SignupGuard guard, SignupCookie cookie)
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

        Outcome<string?> key = IdempotencyKey.Read(request);
        if (key.Problem is { } badKey)
        {
            return ApiResults.Problem(badKey);
        }

        ClientContext client = guard.Clients.Resolve(request);
        if (await guard.BeforeStartAsync(client, body.Value!, key.Value, cancellationToken) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        Outcome<SignupEntity> outcome = await signups.StartAsync(body.Value!, RequestLanguage.Of(request), durable, cancellationToken, key.Value);
        await guard.AfterStartAsync(client, body.Value!, outcome, cancellationToken);
        return ApiResults.From(outcome, s =>
        {
            cookie.Set(request, s.SignupId);
            return ApiResults.Created($"/api/signups/{s.SignupId}", SignupView.From(s));
        });
    }
}
