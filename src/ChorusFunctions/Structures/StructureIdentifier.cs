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

/// <summary>A validated, normalised structure identifier. Its <see cref="Key"/> makes the structure unique.</summary>
public sealed record StructureIdentifier(IdentifierType Type, string Value)
{
    public string Key => $"{Type}_{Storage.TableKeys.Escape(Value)}";

    /// <summary>
    /// Parses a typed identifier. Returns the French message for the <c>identifier</c> field when it is refused.
    /// </summary>
    public static bool TryParse(string? type, string? value, out StructureIdentifier? identifier, out string? error, out string errorField)
    {
        identifier = null;
        errorField = "identifier";
        if (string.IsNullOrWhiteSpace(type) || !Enum.TryParse(type.Trim(), ignoreCase: false, out IdentifierType parsedType) || !Enum.IsDefined(parsedType)
            || int.TryParse(type, out _))
        {
            errorField = "identifierType";
            error = "Choisissez un type d'identifiant de structure valide.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            error = parsedType == IdentifierType.SIRET
                ? "Saisissez le numéro de SIRET de votre structure."
                : "Saisissez l'identifiant de votre structure.";
            return false;
        }

        switch (parsedType)
        {
            case IdentifierType.SIRET:
                string siret = Siret.Normalize(value);
                if (siret.Length != 14 || !Siret.AllDigits(siret))
                {
                    error = "Le numéro de SIRET doit comporter 14 chiffres.";
                    return false;
                }

                if (!Siret.IsValidSiret(siret))
                {
                    error = "Ce numéro de SIRET n'est pas valide : vérifiez sa saisie.";
                    return false;
                }

                identifier = new StructureIdentifier(parsedType, siret);
                error = null;
                return true;

            default:
                // Other identifier types arrive with the structures work; until then only SIRET is offered.
                errorField = "identifierType";
                error = "Ce type d'identifiant n'est pas encore pris en charge.";
                return false;
        }
    }
}
