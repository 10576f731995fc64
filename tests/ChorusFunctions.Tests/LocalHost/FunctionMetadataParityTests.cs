using System.Text.Json.Nodes;
using ChorusFunctions.LocalHost.Functions;
using ChorusFunctions.Testing;

namespace ChorusFunctions.Tests.LocalHost;

/// <summary>
/// What the Functions host would index — the <c>functions.metadata</c> and <c>extensions.json</c> the Worker SDK writes
/// into the Functions project's build output — against what the local host serves (its <see cref="FunctionCatalog"/>).
/// A function, trigger, route, method, auth level, schedule or durable client binding on one side only fails here.
/// </summary>
public sealed class FunctionMetadataParityTests
{
    /// <summary>The Functions project's output folder of the configuration these tests were built in.</summary>
    static string FunctionsOutput
    {
        get
        {
            var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string framework = tests.Name;
            string configuration = tests.Parent!.Name;
            string output = Path.Combine(RepositoryRoot.Path, "src", "ChorusFunctions", "bin", configuration, framework);
            Assert.True(File.Exists(Path.Combine(output, "functions.metadata")), $"No functions.metadata in {output}: build src/ChorusFunctions ({configuration}).");
            return output;
        }
    }

    [Fact]
    public void The_local_host_serves_exactly_what_the_functions_host_would_index()
    {
        JsonArray metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsOutput, "functions.metadata")))!.AsArray();
        FunctionCatalog catalog = FunctionCatalog.Load(typeof(ServiceRegistration).Assembly);

        string[] indexed = metadata.Select(f => FromMetadata(f!.AsObject())).Order(StringComparer.Ordinal).ToArray();
        string[] served = FromCatalog(catalog).Order(StringComparer.Ordinal).ToArray();

        Assert.NotEmpty(indexed);
        Assert.Equal(indexed, served);
    }

    [Fact]
    public void The_functions_host_loads_the_durable_extension_on_the_azure_storage_backend()
    {
        JsonArray extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsOutput, "extensions.json")))!["extensions"]!.AsArray();
        JsonNode durable = Assert.Single(extensions, e => e!["name"]!.GetValue<string>() == "DurableTask")!;
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.", durable["typeName"]!.GetValue<string>(), StringComparison.Ordinal);
        string hintPath = durable["hintPath"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(FunctionsOutput, hintPath)), $"{hintPath} is not in the build output.");

        // The local host runs the Azure Storage backend; the Functions host must be told to use the same one.
        JsonNode host = JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsOutput, "host.json")))!;
        Assert.Equal("AzureStorage", host["extensions"]!["durableTask"]!["storageProvider"]!["type"]!.GetValue<string>());
    }

    static string FromMetadata(JsonObject function)
    {
        string name = function["name"]!.GetValue<string>();
        string entryPoint = function["entryPoint"]!.GetValue<string>();
        JsonObject[] bindings = function["bindings"]!.AsArray().Select(b => b!.AsObject()).ToArray();
        JsonObject trigger = Assert.Single(bindings, b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));
        bool durableClient = false;
        var others = new List<string>();
        foreach (JsonObject binding in bindings.Where(b => b != trigger))
        {
            string type = binding["type"]!.GetValue<string>();
            if (type == "durableClient" && binding["taskHub"] is null && binding["connectionName"] is null)
            {
                durableClient = true;
            }
            else if (!(type == "http" && binding["name"]?.GetValue<string>() == "$return"))
            {
                others.Add($" binding={type}:{binding.ToJsonString()}");
            }
        }

        string described = trigger["type"]!.GetValue<string>() switch
        {
            "httpTrigger" => Http(name, entryPoint, trigger["route"]?.GetValue<string>() ?? name,
                trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()), trigger["authLevel"]?.GetValue<string>(), durableClient),
            "orchestrationTrigger" => $"{name} orchestration {entryPoint}",
            "activityTrigger" => $"{name} activity {entryPoint}",
            "timerTrigger" => Timer(name, entryPoint, trigger["schedule"]!.GetValue<string>(),
                trigger["runOnStartup"]?.GetValue<bool>() ?? false, durableClient),
            string other => $"{name} {other} {entryPoint}",
        };
        return described + string.Concat(others);
    }

    static IEnumerable<string> FromCatalog(FunctionCatalog catalog) =>
        catalog.Http.Select(f => Http(f.Name, EntryPoint(f.Method), f.Route, f.Verbs, f.AuthLevel.ToString(), f.DurableClient))
            .Concat(catalog.Orchestrators.Select(f => $"{f.Name} orchestration {EntryPoint(f.Method)}"))
            .Concat(catalog.Activities.Select(f => $"{f.Name} activity {EntryPoint(f.Method)}"))
            .Concat(catalog.Timers.Select(f => Timer(f.Name, EntryPoint(f.Method), f.Schedule, runOnStartup: false, f.DurableClient)));

    static string Http(string name, string entryPoint, string route, IEnumerable<string>? methods, string? authLevel, bool durableClient) =>
        $"{name} http {entryPoint} route={route} methods={(methods is null ? "(any)" : string.Join(",", methods.Order(StringComparer.Ordinal)))} auth={authLevel} durableClient={durableClient}";

    static string Timer(string name, string entryPoint, string schedule, bool runOnStartup, bool durableClient) =>
        $"{name} timer {entryPoint} schedule={schedule} runOnStartup={runOnStartup} durableClient={durableClient}";

    static string EntryPoint(System.Reflection.MethodInfo method) => $"{method.DeclaringType!.FullName}.{method.Name}";
}
