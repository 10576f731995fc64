using System.Text.RegularExpressions;

namespace ChorusFunctions.Email;

/// <summary>
/// Login emails are unique case-insensitively: "Jean.Dupont@Exemple.FR" and "jean.dupont@exemple.fr" are one
/// account. The normalised form is trimmed, NFC and lower-case.
/// </summary>
internal static partial class EmailAddress
{
    public const int MaxLength = 254;

    public static string Normalize(string value) =>
        Http.UnicodeText.Normalize(value.Trim()).ToLowerInvariant(); // never throws; U+FFFD is then refused

    /// <summary>
    /// A pragmatic check (RFC 5321 lengths, one '@', a dotted domain, no spaces or control characters);
    /// the activation email proves the address really exists.
    /// </summary>
    public static bool IsValid(string normalized)
    {
        if (normalized.Length is 0 or > MaxLength)
        {
            return false;
        }

        int at = normalized.LastIndexOf('@');
        if (at <= 0 || at > 64 || at == normalized.Length - 1 || normalized.IndexOf('@') != at)
        {
            return false;
        }

        foreach (char c in normalized)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is Http.UnicodeText.Replacement || c is '<' or '>' or '(' or ')' or '[' or ']' or ',' or ';' or ':' or '\\' or '"')
            {
                return false;
            }
        }

        string local = normalized[..at];
        string domain = normalized[(at + 1)..];
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        string asciiDomain;
        try
        {
            asciiDomain = new IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return asciiDomain.Length <= 253 && DomainPattern().IsMatch(asciiDomain);
    }

    /// <summary>The part before '@', used by the password policy.</summary>
    public static string LocalPart(string normalized) => normalized[..Math.Max(0, normalized.IndexOf('@'))];

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DomainPattern();
}
