using ChorusFunctions.Signup;

namespace ChorusFunctions.Activation;

/// <summary>
/// A new activation link asked for with a link from an earlier email (replaced or expired), sent to the signup's
/// login email. The answer names neither the signup nor the address, and is the same 202 whether a link goes out now
/// or one is still on its way.
/// </summary>
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
