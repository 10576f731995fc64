namespace ChorusFunctions.Health;

public sealed class GetHealth
{
    [Function(nameof(GetHealth))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        ApiResults.Ok(new { status = "ok" });
}
