using Microsoft.Net.Http.Headers;

namespace ChorusFunctions.Contract;

/// <summary>The scripts of the API reference page: the Scalar bundle and the page's start-up script.</summary>
public sealed class GetApiDocsAsset
{
    [Function(nameof(GetApiDocsAsset))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/{asset}")] HttpRequest request,
        string asset) => asset switch
        {
            // The bundle is ~5 MB as text and ~1.4 MB gzipped as shipped: send the gzip as is when the client takes it.
            "scalar.js" when AcceptsGzip(request) =>
                new StaticContentResult(ContractAssets.ScalarJsGzip, "text/javascript; charset=utf-8") { ContentEncoding = "gzip" },
            "scalar.js" => new StaticContentResult(ContractAssets.ScalarJs, "text/javascript; charset=utf-8"),
            "docs.js" => new StaticContentResult(ContractAssets.DocsJs, "text/javascript; charset=utf-8"),
            _ => ApiResults.Problem(ApiProblem.Of(404, ErrorCodes.NotFound, "Ressource introuvable",
                "Aucune ressource ne correspond à cette adresse.")),
        };

    static bool AcceptsGzip(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out IList<StringWithQualityHeaderValue>? encodings)
        && encodings.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);
}
