namespace ChorusFunctions.Structures;

/// <summary>SIREN (9 digits) and SIRET (14 digits) check digits: Luhn, with La Poste's exception.</summary>
public static class Siret
{
    /// <summary>La Poste's SIREN: its establishments' SIRETs are valid when the digit sum is a multiple of 5.</summary>
    public const string LaPosteSiren = "356000000";

    /// <summary>La Poste's head office, the one La Poste SIRET that follows Luhn instead of the digit-sum rule.</summary>
    public const string LaPosteHeadOffice = "35600000000048";

    /// <summary>Without the separators people type: spaces (non-breaking ones too), tabs, dots and dashes.</summary>
    public static string Normalize(string value) => string.Concat(value.Where(c => c is not (' ' or '.' or '-' or '\u00A0' or '\u202F' or '\t')));

    public static bool IsValidSiren(string siren) => siren.Length == 9 && AllDigits(siren) && LuhnValid(siren);

    public static bool IsValidSiret(string siret) =>
        siret.Length == 14 && AllDigits(siret) && (siret[..9] == LaPosteSiren
            ? siret.Sum(c => c - '0') % 5 == 0 || siret == LaPosteHeadOffice
            : IsValidSiren(siret[..9]) && LuhnValid(siret));

    public static bool AllDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    /// <summary>Every second digit from the right doubled (its digits summed), the total a multiple of 10.</summary>
    public static bool LuhnValid(string digits) =>
        digits.Reverse().Select((c, i) => (c - '0') * (i % 2 + 1)).Sum(d => d > 9 ? d - 9 : d) % 10 == 0;
}
