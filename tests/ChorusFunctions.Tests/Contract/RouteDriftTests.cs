using System.Reflection;
using System.Text.Json.Nodes;
using ChorusFunctions.Http;
using ChorusFunctions.Testing.Contract;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Tests.Contract;

/// <summary>
/// The contract and the code list the same HTTP operations: every <c>[HttpTrigger]</c> route and method is in the
/// document under its function's name, and every documented operation exists — or is marked <c>x-planned</c> while
/// another branch builds it, and loses the mark as soon as it exists.
/// </summary>
public sealed class RouteDriftTests
{
    public sealed record CodeRoute(string Method, string Path, string FunctionName, IReadOnlyList<string> RouteParameters);

    static readonly OpenApiContract Contract = OpenApiContract.Default;

    /// <summary>The HTTP functions of the Functions assembly, with the route prefix of host.json.</summary>
    public static IReadOnlyList<CodeRoute> CodeRoutes()
    {
        string prefix = RoutePrefix();
        var routes = new List<CodeRoute>();
        IEnumerable<MethodInfo> functions = typeof(ErrorCodes).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);
        foreach (MethodInfo method in functions)
        {
            string name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
            HttpTriggerAttribute? trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (trigger is null)
            {
                continue;
            }

            // Route constraints and optional markers ({id:int}, {x?}) are the code's business; the document names the parameter.
            string[] segments = (trigger.Route ?? name).Trim('/').Split('/')
                .Select(s => s.StartsWith('{') ? "{" + s.Trim('{', '}').Split(':')[0].TrimEnd('?') + "}" : s)
                .ToArray();
            string path = "/" + string.Join('/', new[] { prefix }.Where(p => p.Length > 0).Concat(segments));
            string[] parameters = segments.Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')).ToArray();

            // No methods on the attribute means every method in Azure Functions; this app always names them.
            foreach (string verb in trigger.Methods ?? ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
            {
                routes.Add(new CodeRoute(verb.ToUpperInvariant(), path, name, parameters));
            }
        }

        return routes;
    }

    [Fact]
    public void The_code_has_http_functions_to_compare()
    {
        // Guards the other tests against passing vacuously if reflection stopped finding the functions.
        Assert.Contains(CodeRoutes(), r => r is { FunctionName: "CreateSignup", Method: "POST", Path: "/api/signups" });
    }

    [Fact]
    public void Every_http_function_is_documented_under_its_name()
    {
        var problems = new List<string>();
        foreach (CodeRoute route in CodeRoutes())
        {
            ContractOperation? operation = Contract.Operations.FirstOrDefault(o => o.Method == route.Method && o.Path == route.Path);
            if (operation is null)
            {
                problems.Add($"{route.Method} {route.Path} ({route.FunctionName}) is not in openapi.yaml");
            }
            else if (operation.OperationId != route.FunctionName)
            {
                problems.Add($"{route.Method} {route.Path}: operationId is {operation.OperationId ?? "(none)"} but the function is {route.FunctionName}");
            }
            else if (operation.Planned is not null)
            {
                problems.Add($"{route.Method} {route.Path} ({route.FunctionName}) exists now: remove its x-planned mark ({operation.Planned}) and check its description");
            }
        }

        Assert.True(problems.Count == 0, "Code and contract disagree:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Every_documented_operation_exists_in_the_code_or_is_planned()
    {
        IReadOnlyList<CodeRoute> code = CodeRoutes();
        string[] problems = Contract.Operations
            .Where(o => o.Planned is null && !code.Any(r => r.Method == o.Method && r.Path == o.Path))
            .Select(o => $"{o.Method} {o.Path} ({o.OperationId}) is documented but no [HttpTrigger] has this route and method"
                + (code.FirstOrDefault(r => r.FunctionName == o.OperationId) is { } moved ? $"; {o.OperationId} is at {moved.Method} {moved.Path}" : ""))
            .ToArray();

        Assert.True(problems.Length == 0, "Code and contract disagree:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Operation_ids_are_unique_function_names()
    {
        string[] duplicates = Contract.Operations.GroupBy(o => o.OperationId).Where(g => g.Key is null || g.Count() > 1)
            .Select(g => $"{g.Key ?? "(missing)"}: {string.Join(", ", g.Select(o => $"{o.Method} {o.Path}"))}")
            .ToArray();

        Assert.True(duplicates.Length == 0, "Each operation needs its own operationId:\n" + string.Join('\n', duplicates));
    }

    [Fact]
    public void Path_parameters_match_the_route_parameters()
    {
        var problems = new List<string>();
        foreach (CodeRoute route in CodeRoutes())
        {
            ContractOperation? operation = Contract.Operations.FirstOrDefault(o => o.Method == route.Method && o.Path == route.Path);
            if (operation is null)
            {
                continue;
            }

            string[] documented = (operation.Node["parameters"]?.AsArray() ?? [])
                .Select(p => Contract.Resolve(p!.AsObject()))
                .Where(p => p["in"]?.GetValue<string>() == "path")
                .Select(p => p["name"]!.GetValue<string>())
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (!documented.SequenceEqual(route.RouteParameters.Order(StringComparer.Ordinal)))
            {
                problems.Add($"{route.FunctionName}: route parameters [{string.Join(", ", route.RouteParameters)}], documented [{string.Join(", ", documented)}]");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Planned_operations_say_which_issue_brings_them()
    {
        string[] unexplained = Contract.Operations
            .Where(o => o.Node["x-planned"] is JsonNode planned && string.IsNullOrWhiteSpace(planned.ToString()))
            .Select(o => $"{o.Method} {o.Path}")
            .ToArray();

        Assert.Empty(unexplained);
    }

    static string RoutePrefix()
    {
        // host.json decides the prefix in the Functions host (the local host uses the same one). The Functions project
        // links it into its output, and from there into this test's output: the file the app really ships.
        string path = Path.Combine(AppContext.BaseDirectory, "host.json");
        JsonNode hostJson = JsonNode.Parse(File.ReadAllText(path))!;
        return hostJson["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
    }
}
