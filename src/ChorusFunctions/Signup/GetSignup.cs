using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Signup;

public sealed class GetSignup(SignupService signups)
{
    [Function(nameof(GetSignup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signups/{signupId}")] HttpRequest request,
        string signupId,
        CancellationToken cancellationToken) =>
        ApiResults.From(await signups.GetAsync(signupId, cancellationToken), s => ApiResults.Ok(SignupView.From(s)));
}
