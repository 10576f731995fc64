using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Structures;

/// <summary>
/// Checks an identifier before step 1: normalised form, validity (French message), register prefill and whether the
/// structure already exists. <c>?country=</c> is required for HORS_UE.
/// </summary>
public sealed class GetStructure(StructureLookupService lookups)
{
    [Function(nameof(GetStructure))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "structures/{identifierType}/{identifier}")] HttpRequest request,
        string identifierType,
        string identifier,
        CancellationToken cancellationToken) =>
        ApiResults.Ok(await lookups.LookupAsync(identifierType, identifier, request.Query["country"].FirstOrDefault(), cancellationToken));
}
