using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.RateLimits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Structures;

/// <summary>
/// Checks an identifier before step 1: normalised form, validity (French message), register prefill and whether the
/// structure already exists. <c>?country=</c> is required for HORS_UE.
/// </summary>
public sealed class GetStructure(StructureLookupService lookups, RequestThrottle throttle, ClientAddressResolver clients)
{
    [Function(nameof(GetStructure))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "structures/{identifierType}/{identifier}")] HttpRequest request,
        string identifierType,
        string identifier,
        CancellationToken cancellationToken)
    {
        // Each lookup may call a register with a small quota (INSEE): rate-limited per address.
        if (await throttle.CheckAsync(RatePolicy.StructureLookupPerIp, clients.Resolve(request).RateKey, cancellationToken) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        return ApiResults.Ok(await lookups.LookupAsync(identifierType, identifier, request.Query["country"].FirstOrDefault(), cancellationToken));
    }
}
