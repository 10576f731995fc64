namespace ChorusFunctions.Signup;

/// <summary>The HTTP functions of steps 1 to 3, each a guarded call into <see cref="SignupService"/>.</summary>
public sealed class SignupFunctions(SignupService signups, RequestGuard guard)
{
    /// <summary>Step 1 — Identifiez-vous: login email and structure identifier.</summary>
    [Function(nameof(CreateSignup))]
    public async Task<IActionResult> CreateSignup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signups")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
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
            () => signups.StartAsync(body.Value!, RequestLanguage.Of(request), durable, cancellationToken, key.Value), cancellationToken);
        return ApiResults.From(outcome, s => ApiResults.Created($"/api/signups/{s.SignupId}", SignupView.From(s)));
    }

    /// <summary>A signup's state, for the browser that started it.</summary>
    [Function(nameof(GetSignup))]
    public async Task<IActionResult> GetSignup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signups/{signupId}")] HttpRequest request, string signupId,
        CancellationToken cancellationToken) =>
        View(await guard.RunAsync(nameof(GetSignup), request, new(signupId), () => signups.GetAsync(signupId, cancellationToken), cancellationToken));

    /// <summary>Step 2 — Complétez les informations demandées.</summary>
    [Function(nameof(SubmitSignupDetails))]
    public async Task<IActionResult> SubmitSignupDetails(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "signups/{signupId}/details")] HttpRequest request,
        string signupId, CancellationToken cancellationToken) =>
        View(await RequestReader.ReadJsonAsync<SubmitDetailsRequest>(request, cancellationToken).Then(body =>
            guard.RunAsync(nameof(SubmitSignupDetails), request, new(signupId), () => signups.SubmitDetailsAsync(signupId, body, cancellationToken), cancellationToken)));

    /// <summary>Step 3 — Ouvrez vos espaces de travail. The account is then created and the activation email sent.</summary>
    [Function(nameof(SubmitSignupWorkspaces))]
    public async Task<IActionResult> SubmitSignupWorkspaces(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "signups/{signupId}/workspaces")] HttpRequest request,
        string signupId, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        Accepted(await RequestReader.ReadJsonAsync<SubmitWorkspacesRequest>(request, cancellationToken).Then(body =>
            guard.RunAsync(nameof(SubmitSignupWorkspaces), request, new(signupId), () => signups.SubmitWorkspacesAsync(signupId, body, durable, cancellationToken), cancellationToken)));

    /// <summary>Abandons a signup before step 3, e.g. when the user goes back to step 1 and changes the email or SIRET.</summary>
    [Function(nameof(CancelSignup))]
    public async Task<IActionResult> CancelSignup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "signups/{signupId}")] HttpRequest request, string signupId,
        [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        View(await guard.RunAsync(nameof(CancelSignup), request, new(signupId), () => signups.CancelAsync(signupId, durable, cancellationToken), cancellationToken));

    /// <summary>Sends a new activation link; the previous one stops working.</summary>
    [Function(nameof(ResendActivationEmail))]
    public async Task<IActionResult> ResendActivationEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signups/{signupId}/activation-email")] HttpRequest request,
        string signupId, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        Accepted(await guard.RunAsync(nameof(ResendActivationEmail), request, new(signupId), () => signups.RequestNewLinkAsync(signupId, durable, cancellationToken), cancellationToken));

    static IActionResult View(Outcome<SignupEntity> outcome) => ApiResults.From(outcome, s => ApiResults.Ok(SignupView.From(s)));

    /// <summary>An email is on its way: 202, with where to read the signup.</summary>
    static IActionResult Accepted(Outcome<SignupEntity> outcome) => ApiResults.From(outcome, s => ApiResults.Accepted($"/api/signups/{s.SignupId}", SignupView.From(s)));
}
