namespace ChorusFunctions.Structures;

/// <summary>Checks an identifier before step 1: normal form, validity, register prefill, existence. <c>?country=</c> for HORS_UE.</summary>
public sealed class GetStructure(StructureLookupService lookups, RequestGuard guard)
{
    [Function(nameof(GetStructure))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "structures/{identifierType}/{identifier}")] HttpRequest request,
        string identifierType, string identifier, CancellationToken cancellationToken)
    {
        string? country = request.Query["country"].FirstOrDefault();
        Outcome<StructureLookupView> outcome = await guard.RunAsync<StructureLookupView>(nameof(GetStructure), request, new(), async () => await lookups.LookupAsync(identifierType, identifier, country, cancellationToken), cancellationToken);
        return ApiResults.From(outcome, ApiResults.Ok);
    }
}
