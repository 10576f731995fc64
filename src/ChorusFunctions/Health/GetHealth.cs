using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Health;

public sealed class GetHealth
{
    [Function(nameof(GetHealth))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        ApiResults.Ok(new { status = "ok" });
}
