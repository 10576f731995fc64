using ChorusFunctions.Security.Passwords;

namespace ChorusFunctions.Security;

/// <summary>The activation page's complexity indicator: score and unmet rules. Nothing is stored or logged (no logger on purpose).</summary>
public sealed class CheckPasswordStrength(RequestGuard guard)
{
    [Function(nameof(CheckPasswordStrength))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "password-strength")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiResults.From(
            await guard.RunAsync(nameof(CheckPasswordStrength), request, new(),
                () => RequestReader.ReadJsonAsync<PasswordStrengthRequest>(request, cancellationToken).Then(body => Task.FromResult<Outcome<PasswordStrengthResult>>(Evaluate(body))), cancellationToken),
            ApiResults.Ok);

    public static PasswordStrengthResult Evaluate(PasswordStrengthRequest request)
    {
        string password = request.Password ?? "";
        var context = new PasswordContext(request.LoginEmail, request.LastName, request.FirstName);
        return new PasswordStrengthResult(PasswordStrength.Score(password, context), PasswordScreen.UnmetRules(password, context));
    }
}
