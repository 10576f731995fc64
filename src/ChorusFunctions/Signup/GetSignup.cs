using ChorusFunctions.Http;
using ChorusFunctions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Signup;

public sealed class GetSignup(SignupService signups, SignupGuard guard, SignupCookie cookie)
{
    [Function(nameof(GetSignup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signups/{signupId}")] HttpRequest request,
        string signupId,
        CancellationToken cancellationToken) =>
        (await guard.BeforeSignupRequestAsync(request, signupId, cancellationToken) ?? await cookie.CheckAsync(request, signupId, cancellationToken)) is { } limited
            ? ApiResults.Problem(limited)
            : ApiResults.From(await signups.GetAsync(signupId, cancellationToken), s => ApiResults.Ok(SignupView.From(s)));
}
