using ChorusFunctions.Http;
using ChorusFunctions.Security.Passwords;
using ChorusFunctions.Security.RateLimits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Security;

/// <summary>
/// The complexity indicator of the activation page: score and unmet rules of a password. Nothing is stored and
/// nothing is logged (no logger on purpose).
/// </summary>
public sealed class CheckPasswordStrength(RequestThrottle throttle, ClientAddressResolver clients)
{
    [Function(nameof(CheckPasswordStrength))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "password-strength")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ClientContext client = clients.Resolve(request);
        if (await throttle.CheckAsync(RatePolicy.PasswordStrengthPerIp, client.RateKey, cancellationToken) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        Outcome<PasswordStrengthRequest> body = await RequestReader.ReadJsonAsync<PasswordStrengthRequest>(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return ApiResults.Problem(problem);
        }

        return ApiResults.Ok(Evaluate(body.Value!));
    }

    public static PasswordStrengthResult Evaluate(PasswordStrengthRequest request)
    {
        string password = request.Password ?? "";
        var context = new PasswordContext(request.LoginEmail, request.LastName, request.FirstName);
        return new PasswordStrengthResult(PasswordStrength.Score(password, context), PasswordScreen.UnmetRules(password, context));
    }
}
