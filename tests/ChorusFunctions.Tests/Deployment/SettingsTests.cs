using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChorusFunctions.LocalHost.Functions;
using ChorusFunctions.Testing;

namespace ChorusFunctions.Tests.Deployment;

/// <summary>
/// Every setting the Functions app reads in Azure is set by the Bicep or documented as optional
/// (infra/settings.json), and documented in the README; host.json is what the hosts expect.
/// </summary>
public sealed class SettingsTests
{
    static readonly Assembly App = typeof(ServiceRegistration).Assembly;

    /// <summary>Settings bound to options: every settable property of every options class with a <c>Section</c>, flattened to <c>Section__Key</c>.</summary>
    public static IReadOnlyList<string> OptionSettings()
    {
        var names = new List<string>();
        foreach (Type type in App.GetTypes().Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true }))
        {
            string section = (string)type.GetField("Section")!.GetRawConstantValue()!;
            Flatten(type, section, names);
        }

        return names.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    static void Flatten(Type type, string prefix, List<string> names)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            string name = $"{prefix}__{property.Name}";
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && property.PropertyType.Assembly == App)
            {
                Flatten(property.PropertyType, name, names);
            }
            else
            {
                names.Add(name);
            }
        }
    }

    /// <summary>Settings read by name outside options: storage, identity, timer schedules.</summary>
    static IEnumerable<string> DirectSettings() =>
        new[] { "AzureWebJobsStorage", "AZURE_CLIENT_ID", "Durable__TaskHub", "APPLICATIONINSIGHTS_CONNECTION_STRING" }
            .Concat(FunctionCatalog.Load(App).Timers.Select(t => t.Schedule.Trim('%')));

    static JsonArray InfraSettings() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "settings.json")))!.AsArray();

    [Fact]
    public void Every_setting_the_app_reads_is_set_by_the_bicep_or_documented_optional()
    {
        Dictionary<string, string> infra = InfraSettings().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["whereSetInAzure"]!.GetValue<string>());
        string[] missing = OptionSettings().Concat(DirectSettings()).Where(s => !infra.ContainsKey(s)).ToArray();
        Assert.True(missing.Length == 0, "Not in infra/settings.json: " + string.Join(", ", missing));
        Assert.All(infra.Values, where => Assert.Contains(where, new[] { "bicep", "optional" }));
    }

    [Fact]
    public void Settings_without_a_default_in_code_are_set_by_the_bicep()
    {
        // The token key has no usable default; Azure must set it (from Key Vault).
        JsonNode key = InfraSettings().Single(s => s!["name"]!.GetValue<string>() == "Security__TokenKey")!;
        Assert.Equal("bicep", key["whereSetInAzure"]!.GetValue<string>());
    }

    [Fact]
    public void Every_setting_the_app_reads_is_in_the_readme()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        string[] missing = OptionSettings().Concat(DirectSettings()).Where(s => !readme.Contains(s, StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "Not documented in README.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Host_json_sets_the_route_prefix_the_task_hub_setting_and_a_short_polling_interval()
    {
        JsonNode host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        JsonNode durable = host["extensions"]!["durableTask"]!;
        Assert.Equal("%Durable__TaskHub%", durable["hubName"]!.GetValue<string>());
        TimeSpan polling = TimeSpan.Parse(durable["storageProvider"]!["maxQueuePollingInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(polling, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));
        Assert.NotNull(host["logging"]!["logLevel"]!["default"]);
    }

    [Fact]
    public void The_local_host_serves_the_same_route_prefix_as_host_json() =>
        Assert.Equal("api", HttpFunctionEndpoints.RoutePrefix);
}
