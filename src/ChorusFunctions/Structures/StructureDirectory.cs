namespace ChorusFunctions.Structures;

public enum DirectoryResult
{
    Found,
    NotFound,
    /// <summary>The unit exists but is not diffusible (INSEE 403): nothing is prefilled and the signup goes on.</summary>
    NotDiffusible,
    /// <summary>The establishment is closed (état administratif F) or the legal unit ceased: refused.</summary>
    Closed,
    /// <summary>The register could not answer; the signup goes on and the user types the fields.</summary>
    Unavailable,
}

/// <param name="Prefill">What the company register knows of the structure, to prefill step 2.</param>
public sealed record DirectoryLookup(DirectoryResult Result, StructureAddress? Prefill = null)
{
    public static DirectoryLookup NotFound { get; } = new(DirectoryResult.NotFound);

    public static DirectoryLookup Unavailable { get; } = new(DirectoryResult.Unavailable);

    public static DirectoryLookup NotDiffusible { get; } = new(DirectoryResult.NotDiffusible);

    public static DirectoryLookup Closed { get; } = new(DirectoryResult.Closed);
}

/// <summary>The company register (INSEE Sirene and others): looks a structure up to prefill step 2.</summary>
public interface IStructureDirectory
{
    Task<DirectoryLookup> LookupAsync(StructureIdentifier identifier, CancellationToken cancellationToken);
}

/// <summary>A small offline register shipped with the app, so the product works without network or API key.</summary>
public sealed class EmbeddedStructureDirectory : IStructureDirectory
{
    /// <summary>Each entry is a <see cref="StructureAddress"/> with its <c>siret</c> and <c>state</c> (A: active).</summary>
    static readonly Lazy<FrozenDictionary<string, DirectoryLookup>> Entries = new(Load);

    public Task<DirectoryLookup> LookupAsync(StructureIdentifier identifier, CancellationToken cancellationToken) =>
        Task.FromResult(identifier.Type == IdentifierType.SIRET ? Entries.Value.GetValueOrDefault(identifier.Value, DirectoryLookup.NotFound) : DirectoryLookup.NotFound);

    static FrozenDictionary<string, DirectoryLookup> Load()
    {
        using Stream stream = typeof(EmbeddedStructureDirectory).Assembly
            .GetManifestResourceStream("ChorusFunctions.Structures.embedded-directory.json")
            ?? throw new InvalidOperationException("The embedded directory resource is missing.");
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return JsonSerializer.Deserialize<JsonElement[]>(stream, web)!.ToFrozenDictionary(
            e => e.GetProperty("siret").GetString()!,
            e => e.GetProperty("state").GetString() == "A" ? new DirectoryLookup(DirectoryResult.Found, e.Deserialize<StructureAddress>(web)) : DirectoryLookup.Closed);
    }
}
