namespace ChorusFunctions.Structures;

/// <summary>SIREN (9 digits) and SIRET (14 digits) check digits: Luhn, with La Poste's exception.</summary>
public static class Siret
{
    /// <summary>La Poste's SIREN: its establishments' SIRETs are valid when the digit sum is a multiple of 5.</summary>
    public const string LaPosteSiren = "356000000";

    /// <summary>La Poste's head office, the one La Poste SIRET that follows Luhn instead of the digit-sum rule.</summary>
    public const string LaPosteHeadOffice = "35600000000048";

    /// <summary>Keeps the digits of a typed value; spaces, dots and dashes are common separators.</summary>
    public static string Normalize(string value) => string.Concat(value.Where(c => !IdentifierText.IsSeparator(c)));

    public static bool IsValidSiren(string siren) => siren.Length == 9 && AllDigits(siren) && LuhnValid(siren);

    public static bool IsValidSiret(string siret)
    {
        if (siret.Length != 14 || !AllDigits(siret))
        {
            return false;
        }

        string siren = siret[..9];
        if (siren == LaPosteSiren)
        {
            return siret.Sum(c => c - '0') % 5 == 0 || siret == LaPosteHeadOffice;
        }

        return IsValidSiren(siren) && LuhnValid(siret);
    }

    public static bool AllDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    public static bool LuhnValid(string digits)
    {
        int sum = 0;
        bool doubleIt = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
