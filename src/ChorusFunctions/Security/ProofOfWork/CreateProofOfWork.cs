namespace ChorusFunctions.Security.ProofOfWork;

/// <summary>A challenge for step 1, or <c>required: false</c>. Not rate limited: issuing stores nothing, and step 1 is limited.</summary>
public sealed class CreateProofOfWork(ProofOfWorkService proofOfWork)
{
    [Function(nameof(CreateProofOfWork))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "proof-of-work")] HttpRequest request) =>
        ApiResults.Ok(proofOfWork.Create());
}
