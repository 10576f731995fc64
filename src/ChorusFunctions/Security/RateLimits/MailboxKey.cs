namespace ChorusFunctions.Security.RateLimits;

/// <summary>The mailbox an address delivers to, as a budget key (dots, tags, googlemail); only for counting: the address is never rewritten.</summary>
public static class MailboxKey
{
    /// <summary>Providers that ignore dots in the local part.</summary>
    static readonly HashSet<string> DotBlind = ["gmail.com"];

    /// <summary>Providers that deliver <c>name+anything</c> to <c>name</c>.</summary>
    static readonly HashSet<string> PlusAddressing =
    [
        "gmail.com", "outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr", "live.com", "live.fr", "msn.com",
        "icloud.com", "me.com", "mac.com", "protonmail.com", "proton.me", "pm.me", "fastmail.com", "yandex.com", "yandex.ru",
    ];

    public static string Of(string address)
    {
        string text = address.Trim();
        try
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Ill-formed UTF-16: counted as typed (the validators refuse it anyway).
        }

        text = text.ToLowerInvariant();
        int at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return text;
        }

        string local = text[..at];
        string domain = text[(at + 1)..].TrimEnd('.');
        try
        {
            domain = new IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            // Not a valid IDN: kept as typed.
        }

        if (domain == "googlemail.com")
        {
            domain = "gmail.com";
        }

        if (PlusAddressing.Contains(domain) && local.IndexOf('+', StringComparison.Ordinal) is > 0 and int plus)
        {
            local = local[..plus];
        }

        if (DotBlind.Contains(domain))
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
        }

        return $"{local}@{domain}";
    }
}
