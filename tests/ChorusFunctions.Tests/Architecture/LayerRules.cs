namespace ChorusFunctions.Tests.Architecture;

/// <summary>
/// Feature folders in layers: a folder may reference its own layer's folder and the layers below it, never one above
/// and never a sibling of its own layer. The folder of a type is <c>X</c> of its namespace <c>ChorusFunctions.X[.Y]</c>;
/// the root namespace (<c>ServiceRegistration</c>) composes everything and is not checked.
/// </summary>
public sealed class LayerRules(IReadOnlyList<IReadOnlyList<string>> layers, string root)
{
    readonly Dictionary<string, int> layerOf = layers
        .SelectMany((folders, layer) => folders.Select(folder => (folder, layer)))
        .ToDictionary(x => x.folder, x => x.layer, StringComparer.Ordinal);

    public IReadOnlyList<IReadOnlyList<string>> Layers { get; } = layers;

    /// <summary>The folder of <paramref name="type"/>, or null outside <c>root.*</c> (the root itself, generated code).</summary>
    public string? Folder(Type type)
    {
        string? ns = DependencyScanner.Owner(type).Namespace;
        if (ns is null || !ns.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        return ns[(root.Length + 1)..].Split('.')[0];
    }

    public int? Layer(string folder) => layerOf.TryGetValue(folder, out int layer) ? layer : null;

    /// <summary>An edge that goes up a layer, or across to a sibling folder of the same layer.</summary>
    public bool Breaks(TypeEdge edge)
    {
        if (Folder(edge.From) is not { } from)
        {
            return false;
        }

        // Only the composition root may see everything; nothing may see it.
        if (DependencyScanner.Owner(edge.To).Namespace == root)
        {
            return true;
        }

        if (Folder(edge.To) is not { } to || from == to)
        {
            return false;
        }

        return Layer(from) is not { } fromLayer || Layer(to) is not { } toLayer || toLayer >= fromLayer;
    }
}
