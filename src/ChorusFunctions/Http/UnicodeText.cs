namespace ChorusFunctions.Http;

/// <summary>
/// Unicode normalisation that cannot throw. <see cref="string.Normalize()"/> throws on ill-formed UTF-16 (a lone
/// surrogate); JSON bodies cannot carry one (System.Text.Json refuses it), but validators must not depend on where
/// their input came from.
/// </summary>
internal static class UnicodeText
{
    public const char Replacement = '\uFFFD';

    /// <summary>False when the string holds a lone (unpaired) surrogate.</summary>
    public static bool IsWellFormed(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lone surrogates become U+FFFD, then the string is normalised.</summary>
    public static string Normalize(string value, NormalizationForm form = NormalizationForm.FormC)
    {
        if (IsWellFormed(value))
        {
            return value.Normalize(form);
        }

        var builder = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(value[i]).Append(value[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(value[i]) ? Replacement : value[i]);
            }
        }

        return builder.ToString().Normalize(form);
    }
}
