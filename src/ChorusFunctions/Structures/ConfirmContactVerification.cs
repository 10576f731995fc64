using ChorusFunctions.Http;
using ChorusFunctions.Joining;
using ChorusFunctions.Security.Lockout;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Structures;

/// <summary>The gestionnaire principal confirms their contact address: joining requests go to it too from then on.</summary>
public sealed class ConfirmContactVerification(ContactEmailVerification verification, ActivationGuard guard)
{
    [Function(nameof(ConfirmContactVerification))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contact-verifications/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        ApiResults.From(await guard.GuardDecisionLinkAsync(request, token, () => verification.ConfirmAsync(token, cancellationToken), cancellationToken), ApiResults.Ok);
}
