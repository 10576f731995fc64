namespace ChorusFunctions.Security.ProofOfWork;

/// <summary>
/// A new proof-of-work challenge for step 1, or <c>required: false</c>. Not rate limited: issuing stores nothing
/// and costs one HMAC, and each challenge still has to be solved and is good for one step 1, which is limited.
/// </summary>
public sealed class CreateProofOfWork(ProofOfWorkService proofOfWork)
{
    [Function(nameof(CreateProofOfWork))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "proof-of-work")] HttpRequest request) =>
        ApiResults.Ok(proofOfWork.Create());
}
