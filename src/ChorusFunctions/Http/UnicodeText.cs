namespace ChorusFunctions.Http;

/// <summary>Normalisation that cannot throw on a lone surrogate: JSON cannot carry one, but validators must not rely on that.</summary>
internal static class UnicodeText
{
    public const char Replacement = '\uFFFD';

    /// <summary>False when the string holds a lone (unpaired) surrogate.</summary>
    public static bool IsWellFormed(string value) => Repaired(value) == value;

    public static string Normalize(string value, NormalizationForm form = NormalizationForm.FormC) => Repaired(value).Normalize(form);

    /// <summary>Lone surrogates become U+FFFD, as UTF-8's replacement fallback writes them.</summary>
    static string Repaired(string value) =>
        value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value)) : value;
}
