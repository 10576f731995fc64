namespace ChorusFunctions.Contract;

/// <summary>The Scalar API reference of <c>/api/openapi.yaml</c>, served by hand: the Functions host has no endpoint routing for Scalar's own.</summary>
public sealed class GetApiDocs
{
    /// <summary>Only this origin: no CDN, font or telemetry loads. Scalar injects styles at run time, hence 'unsafe-inline' (styles only).</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    // Relative script addresses: the page lives at /api/docs, so "docs/…" resolves under /api/docs/ on any host.
    static readonly byte[] Page = Encoding.UTF8.GetBytes("""
        <!doctype html>
        <html lang="fr">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta name="referrer" content="no-referrer">
          <title>ChorusFunctions — référence de l'API</title>
        </head>
        <body>
          <div id="app"></div>
          <script src="docs/scalar.js"></script>
          <script src="docs/docs.js"></script>
        </body>
        </html>
        """);

    [Function(nameof(GetApiDocs))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest request) =>
        new StaticContentResult(Page, "text/html; charset=utf-8") { ContentSecurityPolicy = ContentSecurityPolicy };
}
