using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>
/// What the links of joining emails call. The gestionnaire principal sees a joining request, then accepts it (the
/// requester becomes an active member) or refuses it; a refused or lapsed requester asks again from the renewal link of
/// the outcome email; the gestionnaire principal confirms their contact address, to which joining requests go too from
/// then on. A GET never changes anything (mail scanners open links).
/// </summary>
public sealed class JoiningLinks(JoinRequestService joinRequests, ContactEmailVerification verification, RequestGuard guard)
{
    [Function(nameof(GetJoinRequest))]
    public Task<IActionResult> GetJoinRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "join-requests/{token}")] HttpRequest request, string token,
        CancellationToken cancellationToken) =>
        RunAsync(nameof(GetJoinRequest), request, token, () => joinRequests.GetAsync(token, cancellationToken), cancellationToken);

    [Function(nameof(ApproveJoinRequest))]
    public Task<IActionResult> ApproveJoinRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "join-requests/{token}/approval")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(nameof(ApproveJoinRequest), request, token, () => joinRequests.DecideAsync(token, JoinRequestStatus.Approved, durable, cancellationToken), cancellationToken);

    [Function(nameof(RefuseJoinRequest))]
    public Task<IActionResult> RefuseJoinRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "join-requests/{token}/refusal")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(nameof(RefuseJoinRequest), request, token, () => joinRequests.DecideAsync(token, JoinRequestStatus.Refused, durable, cancellationToken), cancellationToken);

    [Function(nameof(RenewJoinRequest))]
    public Task<IActionResult> RenewJoinRequest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "join-requests/{token}/renewal")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        RunAsync(nameof(RenewJoinRequest), request, token, () => joinRequests.RenewAsync(token, durable, cancellationToken), cancellationToken);

    [Function(nameof(GetContactVerification))]
    public Task<IActionResult> GetContactVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "contact-verifications/{token}")] HttpRequest request,
        string token, CancellationToken cancellationToken) =>
        RunAsync(nameof(GetContactVerification), request, token, () => verification.GetAsync(token, cancellationToken), cancellationToken);

    [Function(nameof(ConfirmContactVerification))]
    public Task<IActionResult> ConfirmContactVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "contact-verifications/{token}")] HttpRequest request,
        string token, CancellationToken cancellationToken) =>
        RunAsync(nameof(ConfirmContactVerification), request, token, () => verification.ConfirmAsync(token, cancellationToken), cancellationToken);

    async Task<IActionResult> RunAsync<T>(string function, HttpRequest request, string token, Func<Task<Outcome<T>>> call, CancellationToken cancellationToken)
        where T : class =>
        ApiResults.From(await guard.RunAsync(function, request, new(Token: token), call, cancellationToken), ApiResults.Ok);
}
