namespace ChorusFunctions.Signup;

/// <summary>Step 1 — Identifiez-vous: login email and structure identifier.</summary>
public sealed class CreateSignup(SignupService signups, RequestGuard guard, TimeProvider time)
{
    [Function(nameof(CreateSignup))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signups")] HttpRequest request, CancellationToken cancellationToken)
    {
        Outcome<CreateSignupRequest> body = await RequestReader.ReadJsonAsync<CreateSignupRequest>(request, cancellationToken);
        Outcome<string?> key = IdempotencyKey.Read(request);
        if ((body.Problem ?? key.Problem) is { } problem)
        {
            return ApiResults.Problem(problem);
        }

        Outcome<SignupEntity> outcome = await guard.RunAsync(nameof(CreateSignup), request, new(
                LoginEmail: body.Value!.LoginEmail, IdentifierType: body.Value.IdentifierType, Identifier: body.Value.Identifier,
                ProofOfWork: body.Value.ProofOfWork, IdempotencyKey: key.Value),
            () => signups.StartAsync(body.Value!, RequestLanguage.Of(request), cancellationToken, key.Value), cancellationToken);
        return ApiResults.From(outcome, s => ApiResults.Created($"/api/signups/{s.SignupId}", SignupView.From(s, time.GetUtcNow())));
    }
}
