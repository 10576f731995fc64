using ChorusFunctions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Workspaces;

public sealed class ListWorkspaces
{
    [Function(nameof(ListWorkspaces))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workspaces")] HttpRequest request) =>
        ApiResults.Ok(WorkspaceCatalog.All);
}
