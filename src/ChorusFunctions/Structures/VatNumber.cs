using System.Text.RegularExpressions;

namespace ChorusFunctions.Structures;

/// <summary>
/// EU VAT identification numbers (numéros de TVA intracommunautaire): a two-letter prefix (ISO 3166-1, except
/// <c>EL</c> for Greece) and that member state's format. Where the check digit algorithm is public and well
/// established it is verified too (BE, DK, FI, FR, IE, IT, LU, NL, PL, PT); elsewhere only the format is checked,
/// so that no valid number is ever refused on a doubtful rule.
/// </summary>
public static class VatNumber
{
    /// <summary>One member state's rule: its VAT prefix, ISO country, French name, the format (after the prefix) and in words.</summary>
    public sealed record CountryRule(string Prefix, string IsoCountry, string Name, [StringSyntax(StringSyntaxAttribute.Regex)] string Pattern,
        string Format, Func<string, bool>? Checksum = null)
    {
        public Regex Body { get; } = new(Pattern, RegexOptions.CultureInvariant);
    }

    static readonly CountryRule[] Rules =
    [
        new("AT", "AT", "Autriche", @"^U[0-9]{8}$", "la lettre U suivie de 8 chiffres"),
        new("BE", "BE", "Belgique", @"^[01][0-9]{9}$", "10 chiffres commençant par 0 ou 1", BelgianChecksum),
        new("BG", "BG", "Bulgarie", @"^[0-9]{9,10}$", "9 ou 10 chiffres"),
        new("CY", "CY", "Chypre", @"^[0-9]{8}[A-Z]$", "8 chiffres suivis d'une lettre"),
        new("CZ", "CZ", "Tchéquie", @"^[0-9]{8,10}$", "8 à 10 chiffres"),
        new("DE", "DE", "Allemagne", @"^[0-9]{9}$", "9 chiffres"),
        new("DK", "DK", "Danemark", @"^[0-9]{8}$", "8 chiffres", DanishChecksum),
        new("EE", "EE", "Estonie", @"^[0-9]{9}$", "9 chiffres"),
        new("EL", "GR", "Grèce", @"^[0-9]{9}$", "9 chiffres (préfixe EL)"),
        new("ES", "ES", "Espagne", @"^(?=.*[A-Z])[A-Z0-9][0-9]{7}[A-Z0-9]$", "9 caractères : une lettre ou un chiffre, 7 chiffres, une lettre ou un chiffre (au moins une lettre)"),
        new("FI", "FI", "Finlande", @"^[0-9]{8}$", "8 chiffres", FinnishChecksum),
        new("FR", "FR", "France", @"^[0-9A-HJ-NP-Z]{2}[0-9]{9}$", "une clé de 2 caractères suivie des 9 chiffres du SIREN", FrenchChecksum),
        new("HR", "HR", "Croatie", @"^[0-9]{11}$", "11 chiffres"),
        new("HU", "HU", "Hongrie", @"^[0-9]{8}$", "8 chiffres"),
        new("IE", "IE", "Irlande", @"^([0-9]{7}[A-W][A-IW]?|[0-9][A-Z+*][0-9]{5}[A-W])$", "7 chiffres suivis d'une ou deux lettres (ou l'ancien format : chiffre, lettre, 5 chiffres, lettre)", IrishChecksum),
        new("IT", "IT", "Italie", @"^[0-9]{11}$", "11 chiffres", ItalianChecksum),
        new("LT", "LT", "Lituanie", @"^([0-9]{9}|[0-9]{12})$", "9 ou 12 chiffres"),
        new("LU", "LU", "Luxembourg", @"^[0-9]{8}$", "8 chiffres", LuxembourgChecksum),
        new("LV", "LV", "Lettonie", @"^[0-9]{11}$", "11 chiffres"),
        new("MT", "MT", "Malte", @"^[0-9]{8}$", "8 chiffres"),
        new("NL", "NL", "Pays-Bas", @"^[0-9]{9}B[0-9]{2}$", "9 chiffres, la lettre B et 2 chiffres", DutchChecksum),
        new("PL", "PL", "Pologne", @"^[0-9]{10}$", "10 chiffres", PolishChecksum),
        new("PT", "PT", "Portugal", @"^[0-9]{9}$", "9 chiffres", PortugueseChecksum),
        new("RO", "RO", "Roumanie", @"^[1-9][0-9]{1,9}$", "2 à 10 chiffres"),
        new("SE", "SE", "Suède", @"^[0-9]{10}01$", "12 chiffres se terminant par 01"),
        new("SI", "SI", "Slovénie", @"^[1-9][0-9]{7}$", "8 chiffres"),
        new("SK", "SK", "Slovaquie", @"^[1-9][0-9]{9}$", "10 chiffres"),
    ];

    public static FrozenDictionary<string, CountryRule> ByPrefix { get; } = Rules.ToFrozenDictionary(r => r.Prefix, StringComparer.Ordinal);

    /// <summary>Upper case, without separators; Greece's ISO code, often typed instead of its VAT prefix, becomes EL.</summary>
    public static string Normalize(string value) =>
        StructureIdentifier.Normalize(value) is var normalized && normalized.StartsWith("GR", StringComparison.Ordinal) ? "EL" + normalized[2..] : normalized;

    /// <summary>Why a normalised number is refused (in French), or null. <paramref name="rule"/> is set whenever the prefix is a member state's.</summary>
    public static string? Refusal(string normalized, out CountryRule? rule)
    {
        rule = normalized.Length < 4 ? null : ByPrefix.GetValueOrDefault(normalized[..2]);
        return rule is null ? "Le numéro de TVA intracommunautaire commence par le code du pays de l'Union européenne (exemple : BE0417497106)."
            : !rule.Body.IsMatch(normalized[2..]) ? $"Un numéro de TVA {rule.Prefix} ({rule.Name}) comporte, après {rule.Prefix}, {rule.Format}."
            : rule.Checksum is not null && !rule.Checksum(normalized[2..]) ? "Ce numéro de TVA intracommunautaire n'est pas valide : vérifiez sa saisie."
            : null;
    }

    public static bool IsValid(string value) => Refusal(Normalize(value), out _) is null;

    /// <summary>The French VAT key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97, on two digits.</summary>
    public static string FrenchKey(string siren) =>
        ((12 + 3 * (long.Parse(siren, CultureInfo.InvariantCulture) % 97)) % 97).ToString("D2", CultureInfo.InvariantCulture);

    // Alphabetic keys (assigned to a few companies) have no public algorithm: format only.
    static bool FrenchChecksum(string body) => !Siret.AllDigits(body[..2]) || body[..2] == FrenchKey(body[2..]);

    static bool BelgianChecksum(string body) =>
        97 - (int.Parse(body[..8], CultureInfo.InvariantCulture) % 97) == int.Parse(body[8..], CultureInfo.InvariantCulture);

    static bool DanishChecksum(string body) => Weighted(body, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0;

    // In the mod-11 rules a check value of 10 never equals the check digit, so such numbers are refused.
    static bool FinnishChecksum(string body) => (11 - Weighted(body[..7], [7, 9, 10, 5, 8, 4, 2]) % 11) % 11 == body[7] - '0';

    // The old format (a letter second) has no checksum verified.
    static bool IrishChecksum(string body) => !char.IsAsciiDigit(body[1])
        || "WABCDEFGHIJKLMNOPQRSTUV"[(Weighted(body[..7], [8, 7, 6, 5, 4, 3, 2]) + (body.Length == 9 && body[8] != 'W' ? (body[8] - 'A' + 1) * 9 : 0)) % 23] == body[7];

    static bool ItalianChecksum(string body) => Siret.LuhnValid(body);

    static bool LuxembourgChecksum(string body) =>
        int.Parse(body[..6], CultureInfo.InvariantCulture) % 89 == int.Parse(body[6..], CultureInfo.InvariantCulture);

    /// <summary>The historical mod-11 rule, or (since 2020, for sole traders) ISO 7064 mod 97-10 over "NL" + number.</summary>
    static bool DutchChecksum(string body) =>
        Weighted(body[..8], [9, 8, 7, 6, 5, 4, 3, 2]) % 11 == body[8] - '0'
        // N=23, L=21, B=11 as in IBAN arithmetic.
        || ("2321" + body[..9] + "11" + body[10..]).Aggregate(0, (mod, c) => (mod * 10 + (c - '0')) % 97) == 1;

    static bool PolishChecksum(string body) => Weighted(body[..9], [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == body[9] - '0';

    static bool PortugueseChecksum(string body) =>
        (11 - Weighted(body[..8], [9, 8, 7, 6, 5, 4, 3, 2]) % 11) is var check && (check > 9 ? 0 : check) == body[8] - '0';

    static int Weighted(string digits, int[] weights) => weights.Select((weight, i) => (digits[i] - '0') * weight).Sum();
}
