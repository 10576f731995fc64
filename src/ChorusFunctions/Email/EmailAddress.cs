using System.Text.RegularExpressions;

namespace ChorusFunctions.Email;

/// <summary>Login emails are unique case-insensitively ("Jean.Dupont@Exemple.FR" is "jean.dupont@exemple.fr"): trimmed, NFC, lower-case.</summary>
internal static partial class EmailAddress
{
    public const int MaxLength = 254;

    public static string Normalize(string value) =>
        Http.UnicodeText.Normalize(value.Trim()).ToLowerInvariant(); // never throws; U+FFFD is then refused

    /// <summary>A pragmatic check (RFC 5321 lengths, one '@', a dotted domain, no spaces); the activation email proves the rest.</summary>
    public static bool IsValid(string normalized)
    {
        int at = normalized.LastIndexOf('@'); // -1 for an empty string
        string local = at > 0 ? normalized[..at] : "";
        if (normalized.Length > MaxLength || at <= 0 || at > 64 || at == normalized.Length - 1 || normalized.IndexOf('@') != at
            || normalized.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is Http.UnicodeText.Replacement or '<' or '>' or '(' or ')' or '[' or ']' or ',' or ';' or ':' or '\\' or '"')
            || local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        string asciiDomain;
        try
        {
            asciiDomain = new IdnMapping().GetAscii(normalized[(at + 1)..]);
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
