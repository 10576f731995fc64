using System.Reflection;
using System.Text.RegularExpressions;

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

    /// <summary>
    /// Breaks that sit in files another change rewrites or moves (full type names, as regular expressions). Each goes
    /// once its file has moved; the test fails on one that matches nothing, so the list only shrinks.
    /// </summary>
    static readonly (string From, string To, string Why)[] KnownExceptions =
    [
        (@"ChorusFunctions\.Security\.SignupGuard", @"ChorusFunctions\.Signup\..*",
            "the guard pipeline rewrite gives the guard a validated command instead of Signup's request, row and service"),
        (@"ChorusFunctions\..*", @"ChorusFunctions\.Signup\.SecurityOptions",
            "SecurityOptions is declared in Signup/SignupOptions.cs; it moves to Security/ with the other Security options"),
        (@"ChorusFunctions\.(Security\.Lockout\.ActivationGuard|Signup\.SignupLifecycle)", @"ChorusFunctions\.Activation\.ActivationToken(Store|Entity)",
            "Activation/ActivationTokenStore.cs moves to Security/, next to ActivationTokens"),
        (@"ChorusFunctions\.Security\.Enumeration\.ExistingAccountNotifier", @"ChorusFunctions\.Signup\.EmailReservation(Store|Entity)",
            "Signup/EmailReservationStore.cs moves to Accounts/"),
        (@"ChorusFunctions\.Structures\.((Approve|Refuse|Renew|Get)JoinRequest|(Confirm|Get)ContactVerification)", @"ChorusFunctions\.Joining\..*",
            "these HTTP triggers move from Structures/ to Joining/, next to the services they call"),
        (@"ChorusFunctions\.Structures\.JoinRequestIds", @"ChorusFunctions\.Signup\.SignupEntity",
            "JoinRequestIds (in Structures/JoinRequestEntities.cs) names a signup's request: it moves to Signup/"),
    ];

    static bool Excused(TypeEdge edge, (string From, string To, string Why) exception) =>
        Regex.IsMatch(edge.From.FullName!, $"^(?:{exception.From})$") && Regex.IsMatch(edge.To.FullName!, $"^(?:{exception.To})$");

    [Fact]
    public void No_folder_references_a_folder_above_it_or_beside_it()
    {
        IReadOnlyList<TypeEdge> breaks = DependencyScanner.Edges(App).Where(Rules.Breaks).ToList();

        string[] offending = breaks
            .Where(edge => !KnownExceptions.Any(exception => Excused(edge, exception)))
            .Select(edge => $"{Rules.Folder(edge.From)} → {Rules.Folder(edge.To) ?? "(root)"}: {edge}")
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.True(offending.Length == 0, "References against the layers:\n" + string.Join("\n", offending));

        string[] stale = KnownExceptions.Where(exception => !breaks.Any(edge => Excused(edge, exception))).Select(e => e.Why).ToArray();
        Assert.True(stale.Length == 0, "Known exceptions that no longer happen (delete them):\n" + string.Join("\n", stale));
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
