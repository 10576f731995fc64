using ChorusFunctions.Signup;

namespace ChorusFunctions.Activation;

/// <summary>A new activation link asked for with an earlier one; the same 202 names neither the signup nor the address.</summary>
public sealed class RenewActivationLink(ActivationService activations, SignupService signups, RequestGuard guard)
{
    [Function(nameof(RenewActivationLink))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "activations/{token}/renewal")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
    {
        Outcome<SignupEntity> outcome = await guard.RunAsync(nameof(RenewActivationLink), request, new(Token: token), () => activations.RenewableSignupAsync(token, cancellationToken), cancellationToken)
            .Then(signupId => guard.RunAsync(GuardPolicies.NewLinkByToken, request, new(signupId), () => signups.RequestNewLinkAsync(signupId, durable, cancellationToken), cancellationToken));
        return ApiResults.From(outcome, _ => ApiResults.Accepted());
    }
}
