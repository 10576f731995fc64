namespace ChorusFunctions.Structures;

/// <summary>How a structure is identified on the portal (Chorus Pro's <c>typeIdentifiantStructure</c>).</summary>
public enum IdentifierType
{
    SIRET,
    UE_HORS_FRANCE,
    HORS_UE,
    RIDET,
    TAHITI,
    PARTICULIER,
    EN_COURS_IMMATRICULATION,
}

/// <summary>
/// A validated, normalised structure identifier. <see cref="Country"/> is the country it implies (FR for a SIRET, the
/// member state of an EU VAT number, the declared country of a non-EU identifier), used to prefill step 2.
/// </summary>
public sealed record StructureIdentifier(IdentifierType Type, string Value, string? Country = null)
{
    /// <summary>What makes the structure unique; a non-EU national identifier is only unique within its country.</summary>
    public string Key => Type == IdentifierType.HORS_UE
        ? $"{Type}_{Country}_{Storage.TableKeys.Escape(Value)}"
        : $"{Type}_{Storage.TableKeys.Escape(Value)}";

    /// <summary>Longest value looked at before normalisation; anything longer is refused outright.</summary>
    public const int MaxRawLength = 64;

    /// <summary>Bounds of a non-EU national identifier once normalised (Chorus Pro accepts up to 18 characters).</summary>
    public const int HorsUeMinLength = 2;
    public const int HorsUeMaxLength = 18;

    public const int DerivedLength = Security.ActivationTokens.StructureIdentifierLength;

    /// <summary>
    /// Types without a register number: the structure's identifier is derived from the login email under a server key
    /// (<see cref="Security.ActivationTokens.DeriveStructureIdentifier"/>); whatever the user typed is ignored.
    /// </summary>
    public static bool IsDerived(IdentifierType type) => type is IdentifierType.PARTICULIER or IdentifierType.EN_COURS_IMMATRICULATION;

    /// <summary>A parse's result: the identifier, or the French message for <see cref="Field"/>.</summary>
    readonly record struct Parsed(StructureIdentifier? Identifier, string? Error, string Field = "identifier")
    {
        public static implicit operator Parsed(StructureIdentifier identifier) => new(identifier, null);

        public static implicit operator Parsed(string error) => new(null, error);
    }

    /// <summary>
    /// Parses a typed identifier. <paramref name="country"/> is required for HORS_UE; <paramref name="derivedIdentifier"/>
    /// is the derived types' identifier — without it, the value must be one already (as in <c>GET /api/structures</c>).
    /// </summary>
    public static bool TryParse(string? type, string? value, string? country, string? derivedIdentifier,
        out StructureIdentifier? identifier, out string? error, out string errorField)
    {
        (identifier, error, errorField) = Parse(type, value, country, derivedIdentifier);
        return identifier is not null;
    }

    static Parsed Parse(string? type, string? value, string? country, string? derivedIdentifier)
    {
        if (string.IsNullOrWhiteSpace(type) || int.TryParse(type, out _)
            || !Enum.TryParse(type.Trim(), ignoreCase: false, out IdentifierType parsedType) || !Enum.IsDefined(parsedType))
        {
            return new Parsed(null, "Choisissez un type d'identifiant de structure valide.", "identifierType");
        }

        return parsedType switch
        {
            _ when IsDerived(parsedType) && derivedIdentifier is not null => new StructureIdentifier(parsedType, derivedIdentifier),
            _ when string.IsNullOrWhiteSpace(value) => parsedType == IdentifierType.SIRET
                ? "Saisissez le numéro de SIRET de votre structure."
                : "Saisissez l'identifiant de votre structure.",
            _ when value.Length > MaxRawLength => "L'identifiant saisi est trop long.",
            IdentifierType.SIRET => ParseSiret(Siret.Normalize(value)),
            IdentifierType.UE_HORS_FRANCE => ParseEuVat(VatNumber.Normalize(value)),
            IdentifierType.HORS_UE => ParseNonEu(Normalize(value), string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant()),
            IdentifierType.RIDET => ParseRidet(Normalize(value)),
            IdentifierType.TAHITI => ParseTahiti(Normalize(value)),
            _ => ParseDerived(parsedType, Normalize(value)),
        };
    }

    /// <summary>Separators removed, upper case.</summary>
    internal static string Normalize(string value) => string.Concat(Siret.Normalize(value).Select(char.ToUpperInvariant));

    static Parsed ParseSiret(string siret) => siret switch
    {
        _ when siret.Length != 14 || !Siret.AllDigits(siret) => "Le numéro de SIRET doit comporter 14 chiffres.",
        _ when !Siret.IsValidSiret(siret) => "Ce numéro de SIRET n'est pas valide : vérifiez sa saisie.",
        _ => new StructureIdentifier(IdentifierType.SIRET, siret, "FR"),
    };

    static Parsed ParseEuVat(string vat) => VatNumber.Refusal(vat, out VatNumber.CountryRule? rule) switch
    {
        { } refusal => refusal,
        // A French VAT number identifies a French company, which has a SIRET: it is not "hors France".
        _ when rule!.Prefix == "FR" => "Ce numéro de TVA est français : une structure française s'identifie par son numéro de SIRET.",
        _ => new StructureIdentifier(IdentifierType.UE_HORS_FRANCE, vat, rule.IsoCountry),
    };

    static Parsed ParseNonEu(string normalized, string? code)
    {
        string? countryError = code switch
        {
            null => "Choisissez le pays de la structure.",
            _ when !Countries.IsValid(code) => "Choisissez un pays dans la liste (code ISO à deux lettres).",
            "NC" => "Pour une structure de Nouvelle-Calédonie, choisissez le type « Structure avec RIDET ».",
            "PF" => "Pour une structure de Polynésie française, choisissez le type « Structure avec numéro TAHITI ».",
            "FR" or "GP" or "MQ" or "GF" or "RE" or "YT" or "MF" => "Une structure française s'identifie par son numéro de SIRET.",
            _ when Countries.IsInEuropeanUnion(code) => "Ce pays est membre de l'Union européenne : choisissez le type « Structure européenne hors France ».",
            _ => null,
        };
        return countryError is not null ? new Parsed(null, countryError, "country") : normalized switch
        {
            _ when normalized.Length is < HorsUeMinLength or > HorsUeMaxLength || !normalized.All(char.IsAsciiLetterOrDigit) =>
                $"L'identifiant national doit comporter de {HorsUeMinLength} à {HorsUeMaxLength} lettres ou chiffres.",
            _ when !normalized.Any(char.IsAsciiDigit) => "L'identifiant national doit comporter au moins un chiffre.",
            _ => new StructureIdentifier(IdentifierType.HORS_UE, normalized, code),
        };
    }

    /// <summary>
    /// RIDET (New Caledonia's register): a 6- or 7-digit company number, optionally followed by the 3-digit
    /// establishment rank. Six-digit numbers are written with a leading zero, so the company part is padded to 7.
    /// </summary>
    static Parsed ParseRidet(string digits) => Siret.AllDigits(digits) && digits.Length is 6 or 7 or 9 or 10
        ? new StructureIdentifier(IdentifierType.RIDET, digits.Length is 6 or 9 ? "0" + digits : digits, "NC")
        : "Le numéro RIDET comporte 6 ou 7 chiffres, suivis éventuellement des 3 chiffres de l'établissement (exemple : 1234567 001).";

    /// <summary>
    /// Numéro TAHITI (French Polynesia's register): 6 characters — a letter or a digit, then 5 digits — optionally
    /// followed by the 3-digit establishment rank (9 characters in all).
    /// </summary>
    static Parsed ParseTahiti(string normalized) =>
        normalized.Length is 6 or 9 && char.IsAsciiLetterOrDigit(normalized[0]) && normalized[1..].All(char.IsAsciiDigit)
            ? new StructureIdentifier(IdentifierType.TAHITI, normalized, "PF")
            : "Le numéro TAHITI comporte 6 caractères (une lettre ou un chiffre, puis 5 chiffres), suivis éventuellement des 3 chiffres de l'établissement (exemple : A12345 001).";

    static Parsed ParseDerived(IdentifierType type, string normalized) =>
        normalized.Length == DerivedLength && normalized.All(char.IsAsciiHexDigitUpper)
            ? new StructureIdentifier(type, normalized)
            : "Cet identifiant n'a pas la forme de ceux que le portail attribue (20 caractères hexadécimaux).";
}
