using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Lockout;
using ChorusFunctions.Signup;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Activation;

/// <summary>
/// A new activation link asked for with a link from an earlier email (replaced or expired), sent to the signup's
/// login email. The answer names neither the signup nor the address, and is the same 202 whether a link goes out now
/// or one is still on its way; the limits are those of a new link asked for by cookie.
/// </summary>
public sealed class RenewActivationLink(ActivationService activations, ActivationGuard activationGuard, SignupService signups, SignupGuard guard)
{
    [Function(nameof(RenewActivationLink))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}/renewal")] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        ClientContext client = guard.Clients.Resolve(request);
        Outcome<ActivationAttempt> attempt = await activationGuard.BeforeAsync(client, token, ActivationAction.View, cancellationToken);
        if (attempt.Problem is { } refused)
        {
            return ApiResults.Problem(refused);
        }

        // An unknown link counts toward the client's lockout, as on the link's page.
        Outcome<string> signupId = await activations.RenewableSignupAsync(token, cancellationToken);
        await activationGuard.AfterAsync(attempt.Value!, signupId.Problem, cancellationToken);
        if (signupId.Problem is { } gone)
        {
            return ApiResults.Problem(gone);
        }

        if (await guard.BeforeResendAsync(client, signupId.Value, cancellationToken) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        Outcome<SignupEntity> outcome = await signups.RequestNewLinkAsync(signupId.Value!, durable, cancellationToken);
        await guard.AfterResendAsync(client, outcome);
        return ApiResults.From(outcome, _ => ApiResults.Accepted());
    }
}
