using System.Text.RegularExpressions;

namespace ChorusFunctions.Structures;

/// <summary>
/// EU VAT identification numbers (numéros de TVA intracommunautaire): a two-letter prefix (ISO 3166-1, except
/// <c>EL</c> for Greece) and that member state's format. Where the check digit algorithm is public and well
/// established it is verified too (BE, DK, FI, FR, IE, IT, LU, NL, PL, PT); elsewhere only the format is checked,
/// so that no valid number is ever refused on a doubtful rule.
/// </summary>
public static partial class VatNumber
{
    public const int MaxLength = 14;

    /// <summary>One member state's rule: its VAT prefix, ISO country, French name and the format in words.</summary>
    public sealed record CountryRule(string Prefix, string IsoCountry, string Name, Regex Pattern, string Format, Func<string, bool>? Checksum = null);

    static readonly CountryRule[] Rules =
    [
        new("AT", "AT", "Autriche", At(), "la lettre U suivie de 8 chiffres"),
        new("BE", "BE", "Belgique", Be(), "10 chiffres commençant par 0 ou 1", BelgianChecksum),
        new("BG", "BG", "Bulgarie", Digits9To10(), "9 ou 10 chiffres"),
        new("CY", "CY", "Chypre", Cy(), "8 chiffres suivis d'une lettre"),
        new("CZ", "CZ", "Tchéquie", Digits8To10(), "8 à 10 chiffres"),
        new("DE", "DE", "Allemagne", Digits9(), "9 chiffres"),
        new("DK", "DK", "Danemark", Digits8(), "8 chiffres", DanishChecksum),
        new("EE", "EE", "Estonie", Digits9(), "9 chiffres"),
        new("EL", "GR", "Grèce", Digits9(), "9 chiffres (préfixe EL)"),
        new("ES", "ES", "Espagne", Es(), "9 caractères : une lettre ou un chiffre, 7 chiffres, une lettre ou un chiffre (au moins une lettre)"),
        new("FI", "FI", "Finlande", Digits8(), "8 chiffres", FinnishChecksum),
        new("FR", "FR", "France", Fr(), "une clé de 2 caractères suivie des 9 chiffres du SIREN", FrenchChecksum),
        new("HR", "HR", "Croatie", Digits11(), "11 chiffres"),
        new("HU", "HU", "Hongrie", Digits8(), "8 chiffres"),
        new("IE", "IE", "Irlande", Ie(), "7 chiffres suivis d'une ou deux lettres (ou l'ancien format : chiffre, lettre, 5 chiffres, lettre)", IrishChecksum),
        new("IT", "IT", "Italie", Digits11(), "11 chiffres", ItalianChecksum),
        new("LT", "LT", "Lituanie", Lt(), "9 ou 12 chiffres"),
        new("LU", "LU", "Luxembourg", Digits8(), "8 chiffres", LuxembourgChecksum),
        new("LV", "LV", "Lettonie", Digits11(), "11 chiffres"),
        new("MT", "MT", "Malte", Digits8(), "8 chiffres"),
        new("NL", "NL", "Pays-Bas", Nl(), "9 chiffres, la lettre B et 2 chiffres", DutchChecksum),
        new("PL", "PL", "Pologne", Digits10(), "10 chiffres", PolishChecksum),
        new("PT", "PT", "Portugal", Digits9(), "9 chiffres", PortugueseChecksum),
        new("RO", "RO", "Roumanie", Ro(), "2 à 10 chiffres"),
        new("SE", "SE", "Suède", Se(), "12 chiffres se terminant par 01"),
        new("SI", "SI", "Slovénie", Si(), "8 chiffres"),
        new("SK", "SK", "Slovaquie", Sk(), "10 chiffres"),
    ];

    public static FrozenDictionary<string, CountryRule> ByPrefix { get; } = Rules.ToFrozenDictionary(r => r.Prefix, StringComparer.Ordinal);

    /// <summary>Upper case, without the separators people type (spaces, dots, dashes).</summary>
    public static string Normalize(string value)
    {
        string normalized = IdentifierText.NormalizeAlphanumeric(value);

        // Greece's ISO code is often typed instead of its VAT prefix.
        return normalized.StartsWith("GR", StringComparison.Ordinal) ? "EL" + normalized[2..] : normalized;
    }

    public enum Verdict
    {
        Valid,
        UnknownPrefix,
        BadFormat,
        BadChecksum,
    }

    /// <summary>Checks a normalised number. <paramref name="rule"/> is set whenever the prefix is a member state's.</summary>
    public static Verdict Check(string normalized, out CountryRule? rule)
    {
        rule = null;
        if (normalized.Length < 4 || !ByPrefix.TryGetValue(normalized[..2], out rule))
        {
            return Verdict.UnknownPrefix;
        }

        string body = normalized[2..];
        if (!rule.Pattern.IsMatch(body))
        {
            return Verdict.BadFormat;
        }

        return rule.Checksum is null || rule.Checksum(body) ? Verdict.Valid : Verdict.BadChecksum;
    }

    public static bool IsValid(string value) => Check(Normalize(value), out _) == Verdict.Valid;

    /// <summary>The French VAT key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97, on two digits.</summary>
    public static string FrenchKey(string siren) =>
        ((12 + 3 * (long.Parse(siren, CultureInfo.InvariantCulture) % 97)) % 97).ToString("D2", CultureInfo.InvariantCulture);

    static bool FrenchChecksum(string body)
    {
        string key = body[..2];
        string siren = body[2..];
        // Alphabetic keys (assigned to a few companies) have no public algorithm: format only.
        return !Siret.AllDigits(key) || key == FrenchKey(siren);
    }

    static bool BelgianChecksum(string body) =>
        97 - (int.Parse(body[..8], CultureInfo.InvariantCulture) % 97) == int.Parse(body[8..], CultureInfo.InvariantCulture);

    static bool DanishChecksum(string body) => Weighted(body, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0;

    static bool FinnishChecksum(string body)
    {
        int remainder = Weighted(body[..7], [7, 9, 10, 5, 8, 4, 2]) % 11;
        int check = remainder == 0 ? 0 : 11 - remainder;
        return check != 10 && check == body[7] - '0';
    }

    static bool IrishChecksum(string body)
    {
        if (!char.IsAsciiDigit(body[1]))
        {
            return true; // Old format: no checksum verified.
        }

        int sum = Weighted(body[..7], [8, 7, 6, 5, 4, 3, 2]);
        if (body.Length == 9)
        {
            sum += (body[8] == 'W' ? 0 : body[8] - 'A' + 1) * 9;
        }

        return "WABCDEFGHIJKLMNOPQRSTUV"[sum % 23] == body[7];
    }

    static bool ItalianChecksum(string body) => Siret.LuhnValid(body);

    static bool LuxembourgChecksum(string body) =>
        int.Parse(body[..6], CultureInfo.InvariantCulture) % 89 == int.Parse(body[6..], CultureInfo.InvariantCulture);

    /// <summary>The historical mod-11 rule, or (since 2020, for sole traders) ISO 7064 mod 97-10 over "NL" + number.</summary>
    static bool DutchChecksum(string body)
    {
        int remainder = Weighted(body[..8], [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        if (remainder != 10 && remainder == body[8] - '0')
        {
            return true;
        }

        // N=23, L=21, B=11 as in IBAN arithmetic.
        string numeric = "2321" + body[..9] + "11" + body[10..];
        int mod = 0;
        foreach (char c in numeric)
        {
            mod = (mod * 10 + (c - '0')) % 97;
        }

        return mod == 1;
    }

    static bool PolishChecksum(string body)
    {
        int remainder = Weighted(body[..9], [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
        return remainder != 10 && remainder == body[9] - '0';
    }

    static bool PortugueseChecksum(string body)
    {
        int check = 11 - Weighted(body[..8], [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        return (check > 9 ? 0 : check) == body[8] - '0';
    }

    static int Weighted(string digits, int[] weights)
    {
        int sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return sum;
    }

    [GeneratedRegex(@"^U[0-9]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex At();

    [GeneratedRegex(@"^[01][0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Be();

    [GeneratedRegex(@"^[0-9]{8}[A-Z]$", RegexOptions.CultureInvariant)]
    private static partial Regex Cy();

    [GeneratedRegex(@"^(?=.*[A-Z])[A-Z0-9][0-9]{7}[A-Z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Es();

    [GeneratedRegex(@"^[0-9A-HJ-NP-Z]{2}[0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Fr();

    [GeneratedRegex(@"^([0-9]{7}[A-W][A-IW]?|[0-9][A-Z+*][0-9]{5}[A-W])$", RegexOptions.CultureInvariant)]
    private static partial Regex Ie();

    [GeneratedRegex(@"^([0-9]{9}|[0-9]{12})$", RegexOptions.CultureInvariant)]
    private static partial Regex Lt();

    [GeneratedRegex(@"^[0-9]{9}B[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Nl();

    [GeneratedRegex(@"^[1-9][0-9]{1,9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ro();

    [GeneratedRegex(@"^[0-9]{10}01$", RegexOptions.CultureInvariant)]
    private static partial Regex Se();

    [GeneratedRegex(@"^[1-9][0-9]{7}$", RegexOptions.CultureInvariant)]
    private static partial Regex Si();

    [GeneratedRegex(@"^[1-9][0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sk();

    [GeneratedRegex(@"^[0-9]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits8();

    [GeneratedRegex(@"^[0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits9();

    [GeneratedRegex(@"^[0-9]{10}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits10();

    [GeneratedRegex(@"^[0-9]{11}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits11();

    [GeneratedRegex(@"^[0-9]{9,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits9To10();

    [GeneratedRegex(@"^[0-9]{8,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits8To10();
}
