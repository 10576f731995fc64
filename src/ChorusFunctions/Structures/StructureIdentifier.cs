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
/// A validated, normalised structure identifier. Its <see cref="Key"/> (type + normalised identifier) makes the
/// structure unique. <see cref="Country"/> is the country the identifier implies (FR for a SIRET, the member state
/// of an EU VAT number, the declared country of a non-EU identifier), used to prefill step 2.
/// </summary>
public sealed record StructureIdentifier(IdentifierType Type, string Value, string? Country = null)
{
    /// <summary>
    /// Type + normalised identifier. A non-EU national identifier is only unique within its country, so for
    /// <see cref="IdentifierType.HORS_UE"/> the country is part of the key too.
    /// </summary>
    public string Key => Type == IdentifierType.HORS_UE
        ? $"{Type}_{Country}_{Storage.TableKeys.Escape(Value)}"
        : $"{Type}_{Storage.TableKeys.Escape(Value)}";

    /// <summary>Longest value looked at before normalisation; anything longer is refused outright.</summary>
    public const int MaxRawLength = 64;

    /// <summary>Bounds of a non-EU national identifier once normalised (Chorus Pro accepts up to 18 characters).</summary>
    public const int HorsUeMinLength = 2;
    public const int HorsUeMaxLength = 18;

    /// <summary>Length of the identifier derived from the login email (PARTICULIER, EN_COURS_IMMATRICULATION).</summary>
    public const int DerivedLength = Security.ActivationTokens.StructureIdentifierLength;

    /// <summary>
    /// Types without a register number: the portal gives the structure an identifier derived from the login email
    /// under a server key (<see cref="Security.ActivationTokens.DeriveStructureIdentifier"/>); whatever the user
    /// typed is ignored.
    /// </summary>
    public static bool IsDerived(IdentifierType type) => type is IdentifierType.PARTICULIER or IdentifierType.EN_COURS_IMMATRICULATION;

    public static bool TryParseType(string? type, out IdentifierType parsed)
    {
        parsed = default;
        return !string.IsNullOrWhiteSpace(type) && !int.TryParse(type, out _)
            && Enum.TryParse(type.Trim(), ignoreCase: false, out parsed) && Enum.IsDefined(parsed);
    }

    /// <summary>Parses a SIRET or a register identifier that needs no context.</summary>
    public static bool TryParse(string? type, string? value, out StructureIdentifier? identifier, out string? error, out string errorField) =>
        TryParse(type, value, country: null, derivedIdentifier: null, out identifier, out error, out errorField);

    /// <summary>
    /// Parses a typed identifier. <paramref name="country"/> is required for HORS_UE; <paramref name="derivedIdentifier"/>
    /// (the keyed identifier of the login email) is PARTICULIER's and EN_COURS_IMMATRICULATION's identifier — without
    /// it, the value must be such a derived identifier already (as in <c>GET /api/structures</c>). Returns the French message for
    /// <paramref name="errorField"/> (<c>identifierType</c>, <c>identifier</c> or <c>country</c>) when refused.
    /// </summary>
    public static bool TryParse(string? type, string? value, string? country, string? derivedIdentifier,
        out StructureIdentifier? identifier, out string? error, out string errorField)
    {
        identifier = null;
        errorField = "identifier";
        if (!TryParseType(type, out IdentifierType parsedType))
        {
            errorField = "identifierType";
            error = "Choisissez un type d'identifiant de structure valide.";
            return false;
        }

        if (IsDerived(parsedType) && derivedIdentifier is not null)
        {
            identifier = new StructureIdentifier(parsedType, derivedIdentifier);
            error = null;
            return true;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            error = parsedType == IdentifierType.SIRET
                ? "Saisissez le numéro de SIRET de votre structure."
                : "Saisissez l'identifiant de votre structure.";
            return false;
        }

        if (value.Length > MaxRawLength)
        {
            error = "L'identifiant saisi est trop long.";
            return false;
        }

        error = parsedType switch
        {
            IdentifierType.SIRET => ParseSiret(value, out identifier),
            IdentifierType.UE_HORS_FRANCE => ParseEuVat(value, out identifier),
            IdentifierType.HORS_UE => ParseNonEu(value, country, out identifier, ref errorField),
            IdentifierType.RIDET => ParseRidet(value, out identifier),
            IdentifierType.TAHITI => ParseTahiti(value, out identifier),
            _ => ParseDerived(parsedType, value, out identifier),
        };
        return error is null;
    }

    static string? ParseSiret(string value, out StructureIdentifier? identifier)
    {
        identifier = null;
        string siret = Siret.Normalize(value);
        if (siret.Length != 14 || !Siret.AllDigits(siret))
        {
            return "Le numéro de SIRET doit comporter 14 chiffres.";
        }

        if (!Siret.IsValidSiret(siret))
        {
            return "Ce numéro de SIRET n'est pas valide : vérifiez sa saisie.";
        }

        identifier = new StructureIdentifier(IdentifierType.SIRET, siret, "FR");
        return null;
    }

    static string? ParseEuVat(string value, out StructureIdentifier? identifier)
    {
        identifier = null;
        string vat = VatNumber.Normalize(value);
        switch (VatNumber.Check(vat, out VatNumber.CountryRule? rule))
        {
            case VatNumber.Verdict.UnknownPrefix:
                return "Le numéro de TVA intracommunautaire commence par le code du pays de l'Union européenne (exemple : BE0417497106).";
            case VatNumber.Verdict.BadFormat:
                return $"Un numéro de TVA {rule!.Prefix} ({rule.Name}) comporte, après {rule.Prefix}, {rule.Format}.";
            case VatNumber.Verdict.BadChecksum:
                return "Ce numéro de TVA intracommunautaire n'est pas valide : vérifiez sa saisie.";
        }

        if (rule!.Prefix == "FR")
        {
            // A French VAT number identifies a French company, which has a SIRET: it is not "hors France".
            return "Ce numéro de TVA est français : une structure française s'identifie par son numéro de SIRET.";
        }

        identifier = new StructureIdentifier(IdentifierType.UE_HORS_FRANCE, vat, rule.IsoCountry);
        return null;
    }

    static string? ParseNonEu(string value, string? country, out StructureIdentifier? identifier, ref string errorField)
    {
        identifier = null;
        string? code = string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant();
        if (code is null)
        {
            errorField = "country";
            return "Choisissez le pays de la structure.";
        }

        if (!Countries.IsValid(code))
        {
            errorField = "country";
            return "Choisissez un pays dans la liste (code ISO à deux lettres).";
        }

        string? redirect = code switch
        {
            "NC" => "Pour une structure de Nouvelle-Calédonie, choisissez le type « Structure avec RIDET ».",
            "PF" => "Pour une structure de Polynésie française, choisissez le type « Structure avec numéro TAHITI ».",
            _ when Countries.IsInEuropeanUnion(code) => code is "FR" or "GP" or "MQ" or "GF" or "RE" or "YT" or "MF"
                ? "Une structure française s'identifie par son numéro de SIRET."
                : "Ce pays est membre de l'Union européenne : choisissez le type « Structure européenne hors France ».",
            _ => null,
        };
        if (redirect is not null)
        {
            errorField = "country";
            return redirect;
        }

        string normalized = IdentifierText.NormalizeAlphanumeric(value);
        if (normalized.Length is < HorsUeMinLength or > HorsUeMaxLength || !normalized.All(char.IsAsciiLetterOrDigit))
        {
            return $"L'identifiant national doit comporter de {HorsUeMinLength} à {HorsUeMaxLength} lettres ou chiffres.";
        }

        if (!normalized.Any(char.IsAsciiDigit))
        {
            return "L'identifiant national doit comporter au moins un chiffre.";
        }

        identifier = new StructureIdentifier(IdentifierType.HORS_UE, normalized, code);
        return null;
    }

    /// <summary>
    /// RIDET (New Caledonia's register): a 6- or 7-digit company number, optionally followed by the 3-digit
    /// establishment rank. Six-digit numbers are written with a leading zero, so the company part is padded to 7.
    /// </summary>
    static string? ParseRidet(string value, out StructureIdentifier? identifier)
    {
        identifier = null;
        string digits = IdentifierText.NormalizeAlphanumeric(value);
        if (!Siret.AllDigits(digits) || digits.Length is not (6 or 7 or 9 or 10))
        {
            return "Le numéro RIDET comporte 6 ou 7 chiffres, suivis éventuellement des 3 chiffres de l'établissement (exemple : 1234567 001).";
        }

        string normalized = digits.Length is 6 or 9 ? "0" + digits : digits;
        identifier = new StructureIdentifier(IdentifierType.RIDET, normalized, "NC");
        return null;
    }

    /// <summary>
    /// Numéro TAHITI (French Polynesia's register): 6 characters — a letter or a digit, then 5 digits — optionally
    /// followed by the 3-digit establishment rank (9 characters in all).
    /// </summary>
    static string? ParseTahiti(string value, out StructureIdentifier? identifier)
    {
        identifier = null;
        string normalized = IdentifierText.NormalizeAlphanumeric(value);
        bool valid = normalized.Length is 6 or 9
            && char.IsAsciiLetterOrDigit(normalized[0])
            && normalized[1..].All(char.IsAsciiDigit);
        if (!valid)
        {
            return "Le numéro TAHITI comporte 6 caractères (une lettre ou un chiffre, puis 5 chiffres), suivis éventuellement des 3 chiffres de l'établissement (exemple : A12345 001).";
        }

        identifier = new StructureIdentifier(IdentifierType.TAHITI, normalized, "PF");
        return null;
    }

    static string? ParseDerived(IdentifierType type, string value, out StructureIdentifier? identifier)
    {
        identifier = null;
        string normalized = IdentifierText.NormalizeAlphanumeric(value);
        if (normalized.Length != DerivedLength || !normalized.All(char.IsAsciiHexDigitUpper))
        {
            return "Cet identifiant n'a pas la forme de ceux que le portail attribue (20 caractères hexadécimaux).";
        }

        identifier = new StructureIdentifier(type, normalized);
        return null;
    }
}

/// <summary>The normalisation shared by typed identifiers: separators removed, upper case.</summary>
public static class IdentifierText
{
    /// <summary>Spaces (including non-breaking ones), tabs, dots and dashes, as people type them.</summary>
    public static bool IsSeparator(char c) => c is ' ' or '.' or '-' or '\u00A0' or '\u202F' or '\t';

    public static string NormalizeAlphanumeric(string value) =>
        string.Concat(value.Where(c => !IsSeparator(c)).Select(char.ToUpperInvariant));
}
