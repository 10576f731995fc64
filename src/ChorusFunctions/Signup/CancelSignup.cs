using ChorusFunctions.Http;
using ChorusFunctions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Signup;

/// <summary>Abandons a signup before step 3, e.g. when the user goes back to step 1 and changes the email or SIRET.</summary>
public sealed class CancelSignup(SignupService signups, SignupGuard guard, SignupCookie cookie)
{
    [Function(nameof(CancelSignup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "signups/{signupId}")] HttpRequest request,
        string signupId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        (await guard.BeforeSignupRequestAsync(request, signupId, cancellationToken) ?? await cookie.CheckAsync(request, signupId, cancellationToken)) is { } limited
            ? ApiResults.Problem(limited)
            : ApiResults.From(await signups.CancelAsync(signupId, durable, cancellationToken), s => ApiResults.Ok(SignupView.From(s)));
}
