namespace ChorusFunctions.Structures;

/// <summary>Where the prefill of a structure lookup came from, or why there is none.</summary>
public enum RegisterStatus
{
    /// <summary>The register knows the establishment: <c>prefill</c> holds what it says.</summary>
    Found,
    NotFound,
    /// <summary>The unit exists but is not diffusible: the user types the fields.</summary>
    NotDiffusible,
    Closed,
    /// <summary>The register could not answer in time; the user types the fields.</summary>
    Unavailable,
    /// <summary>This identifier type has no register (every type but SIRET).</summary>
    NotApplicable,
    /// <summary>Not asked: the identifier is invalid.</summary>
    NotChecked,
}

/// <summary>The structure lookup: normal form, whether step 1 would accept it and why not, the prefill, whether it exists; never its users.</summary>
public sealed record StructureLookupView(
    string IdentifierType,
    string? Identifier,
    string? Country,
    bool Valid,
    string? Field,
    string? Message,
    bool Exists,
    RegisterStatus Register,
    StructureAddress? Prefill);

public sealed partial class StructureLookupService(StructureStore structures, IStructureDirectory directory, ILogger<StructureLookupService> logger)
{
    public const string ClosedMessage = "Cet établissement est fermé ou l'entreprise a cessé son activité : il ne peut pas être inscrit.";

    public async Task<StructureLookupView> LookupAsync(string identifierType, string identifier, string? country, CancellationToken cancellationToken)
    {
        if (!StructureIdentifier.TryParse(identifierType, identifier, country, derivedIdentifier: null, out StructureIdentifier? parsed, out string? error, out string field))
        {
            return new StructureLookupView(identifierType, null, country, false, field, error, false, RegisterStatus.NotChecked, null);
        }

        if (StructureIdentifier.IsDerived(parsed!.Type))
        {
            // A structure named after a person (or registered by one): whether it exists would say whether that person
            // has an account, so the lookup never says, nor reads it.
            return View(parsed, valid: true, message: null, exists: false, RegisterStatus.NotApplicable, null);
        }

        // Whether it exists is ours to say; what it is, only the register's: never what its first user typed.
        bool exists = await structures.GetAsync(parsed.Key, cancellationToken) is not null;
        if (parsed.Type != IdentifierType.SIRET)
        {
            return View(parsed, valid: true, message: null, exists, RegisterStatus.NotApplicable, null);
        }

        DirectoryLookup lookup = await directory.LookupAsync(parsed, cancellationToken);
        LogLookup(parsed.Type, lookup.Result);
        return lookup.Result switch
        {
            DirectoryResult.Closed => View(parsed, valid: false, ClosedMessage, exists, RegisterStatus.Closed, null),
            DirectoryResult.Found when lookup.Prefill is { } p => View(parsed, valid: true, null, exists, RegisterStatus.Found, p),
            DirectoryResult.NotDiffusible => View(parsed, valid: true, null, exists, RegisterStatus.NotDiffusible, null),
            DirectoryResult.Unavailable => View(parsed, valid: true, null, exists, RegisterStatus.Unavailable, null),
            _ => View(parsed, valid: true, null, exists, RegisterStatus.NotFound, null),
        };
    }

    static StructureLookupView View(StructureIdentifier identifier, bool valid, string? message, bool exists, RegisterStatus register, StructureAddress? prefill) =>
        new(identifier.Type.ToString(), identifier.Value, identifier.Country, valid, valid ? null : "identifier", message, exists, register, prefill);

    [LoggerMessage(Level = LogLevel.Information, Message = "Structure lookup ({IdentifierType}): register answered {Result}")]
    partial void LogLookup(IdentifierType identifierType, DirectoryResult result);
}
