using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Signup;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Activation;

/// <summary>Sends a new activation link; the previous one stops working.</summary>
public sealed class ResendActivationEmail(SignupService signups, SignupGuard guard, SignupCookie cookie)
{
    [Function(nameof(ResendActivationEmail))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signups/{signupId}/activation-email")] HttpRequest request,
        string signupId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        // The cookie is checked before the limits that read the signup, so they say nothing to whoever lacks it.
        ClientContext client = guard.Clients.Resolve(request);
        if ((await cookie.CheckAsync(request, signupId, cancellationToken) ?? await guard.BeforeResendAsync(client, signupId, cancellationToken)) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        Outcome<SignupEntity> outcome = await signups.RequestNewLinkAsync(signupId, durable, cancellationToken);
        await guard.AfterResendAsync(client, outcome);
        return ApiResults.From(outcome, s => ApiResults.Accepted($"/api/signups/{s.SignupId}", SignupView.From(s)));
    }
}
