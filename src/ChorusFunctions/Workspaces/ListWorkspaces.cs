namespace ChorusFunctions.Workspaces;

public sealed class ListWorkspaces
{
    [Function(nameof(ListWorkspaces))]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "workspaces")] HttpRequest request) =>
        ApiResults.Ok(WorkspaceCatalog.All);
}
