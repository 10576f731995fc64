namespace ChorusFunctions.Contract;

/// <summary>Serves the OpenAPI document embedded in this assembly, so every host serves the tested contract.</summary>
public sealed class GetOpenApiDocument
{
    [Function(nameof(GetOpenApiDocument))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest request) =>
        new StaticContentResult(ContractAssets.OpenApiYaml, "application/yaml; charset=utf-8");
}
