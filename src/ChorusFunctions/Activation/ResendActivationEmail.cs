using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Activation;

/// <summary>Sends a new activation link; the previous one stops working.</summary>
public sealed class ResendActivationEmail(SignupService signups)
{
    [Function(nameof(ResendActivationEmail))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signups/{signupId}/activation-email")] HttpRequest request,
        string signupId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        ApiResults.From(
            await signups.RequestNewLinkAsync(signupId, durable, cancellationToken),
            s => ApiResults.Accepted($"/api/signups/{s.SignupId}", SignupView.From(s)));
}
