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
    sealed record Entry(string Siret, string CompanyName, string? Label, string? Address, string? AddressComplement1,
        string? AddressComplement2, string? PostalCode, string? City, string Country, string State);

    static readonly Lazy<FrozenDictionary<string, Entry>> Entries = new(Load);

    public Task<DirectoryLookup> LookupAsync(StructureIdentifier identifier, CancellationToken cancellationToken)
    {
        if (identifier.Type != IdentifierType.SIRET || !Entries.Value.TryGetValue(identifier.Value, out Entry? entry))
        {
            return Task.FromResult(DirectoryLookup.NotFound);
        }

        if (entry.State != "A")
        {
            return Task.FromResult(new DirectoryLookup(DirectoryResult.Closed));
        }

        return Task.FromResult(new DirectoryLookup(DirectoryResult.Found, new StructureAddress(
            entry.CompanyName, entry.Label, entry.Address, entry.AddressComplement1, entry.AddressComplement2, entry.PostalCode, entry.City, entry.Country)));
    }

    static FrozenDictionary<string, Entry> Load()
    {
        using Stream stream = typeof(EmbeddedStructureDirectory).Assembly
            .GetManifestResourceStream("ChorusFunctions.Structures.embedded-directory.json")
            ?? throw new InvalidOperationException("The embedded directory resource is missing.");
        Entry[] entries = JsonSerializer.Deserialize<Entry[]>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        return entries.ToFrozenDictionary(e => e.Siret);
    }
}
