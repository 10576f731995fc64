using System.Reflection;

namespace ChorusFunctions.Tests.Architecture;

/// <summary>Feature folders depend one way: nothing below depends on anything above (README, "What is where").</summary>
public sealed class LayerTests
{
    static readonly Assembly App = typeof(ServiceRegistration).Assembly;

    /// <summary>Bottom to top; the README's "What is where" explains each layer.</summary>
    public static readonly LayerRules Rules = new(
        [
            ["Http", "Storage", "Scheduling", "Settings"],
            ["Telemetry", "Email", "Accounts", "Cleanup", "Workspaces", "Contract", "Health"],
            ["Security"],
            ["Structures"],
            ["Signup"],
            ["Activation", "Joining"],
            ["Sweep"],
        ],
        "ChorusFunctions");

    [Fact]
    public void No_folder_references_a_folder_above_it_or_beside_it()
    {
        string[] offending = DependencyScanner.Edges(App).Where(Rules.Breaks)
            .Select(edge => $"{Rules.Folder(edge.From)} → {Rules.Folder(edge.To) ?? "(root)"}: {edge}")
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.True(offending.Length == 0, "References against the layers:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void Every_folder_has_a_layer()
    {
        string[] unplaced = App.GetTypes()
            .Select(Rules.Folder)
            .OfType<string>()
            .Distinct()
            .Where(folder => Rules.Layer(folder) is null)
            .ToArray();
        Assert.True(unplaced.Length == 0, "Folders without a layer: " + string.Join(", ", unplaced));
    }

    [Fact]
    public void The_checker_finds_references_in_bodies_lambdas_async_methods_and_signatures()
    {
        var rules = new LayerRules([["Low"], ["High"]], "LayerFixture");
        Type[] fixtures = typeof(LayerFixture.Low.InLambda).Assembly.GetTypes().Where(t => t.Namespace?.StartsWith("LayerFixture.", StringComparison.Ordinal) == true).ToArray();

        string[] breaks = DependencyScanner.Edges(fixtures).Where(rules.Breaks).Select(e => e.From.Name + " → " + e.To.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(
            ["InAsyncMethod → Top", "InGenericField → Top", "InLambda → Top", "InLocalOnly → Top", "InSibling → Beside", "InTypeCheck → Top"],
            breaks);
    }

    [Fact]
    public void Siblings_and_the_root_are_off_limits()
    {
        var rules = new LayerRules([["Low", "Side"], ["High"]], "LayerFixture");

        Assert.True(rules.Breaks(new TypeEdge(typeof(LayerFixture.Low.InSibling), typeof(LayerFixture.Side.Beside))));
        Assert.True(rules.Breaks(new TypeEdge(typeof(LayerFixture.Low.InLambda), typeof(LayerFixture.Root))));
        Assert.False(rules.Breaks(new TypeEdge(typeof(LayerFixture.High.Top), typeof(LayerFixture.Low.InLambda))));
        Assert.False(rules.Breaks(new TypeEdge(typeof(LayerFixture.Root), typeof(LayerFixture.High.Top))));
    }
}
