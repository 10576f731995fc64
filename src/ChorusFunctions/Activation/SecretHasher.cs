namespace ChorusFunctions.Activation;

/// <summary>
/// Hashes passwords and secret answers with PBKDF2-HMAC-SHA512 in a versioned, self-describing format
/// (<c>pbkdf2-sha512$iterations$salt$hash</c>), so the parameters can be raised later and old hashes rehashed
/// at the next login.
/// </summary>
public static class SecretHasher
{
    public const string Scheme = "pbkdf2-sha512";
    public const int DefaultIterations = 210_000;

    /// <summary>A stored hash claiming more iterations than this is damaged, not stronger.</summary>
    public const int MaxIterations = 10_000_000;
    const int SaltBytes = 16;
    const int HashBytes = 32;

    public static string Hash(string secret, int iterations = DefaultIterations)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string secret, string encoded)
    {
        string[] parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations)
            || iterations is < 1 or > MaxIterations)
        {
            return false;
        }

        // A damaged stored hash verifies as false rather than throwing.
        byte[] salt = new byte[parts[2].Length];
        byte[] expected = new byte[parts[3].Length];
        if (!Convert.TryFromBase64String(parts[2], salt, out int saltLength) || !Convert.TryFromBase64String(parts[3], expected, out int hashLength)
            || saltLength == 0 || hashLength is 0 or > 64)
        {
            return false;
        }

        salt = salt[..saltLength];
        expected = expected[..hashLength];
        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>
    /// A password is hashed in Unicode compatibility composition (NFKC): the same password typed on another keyboard,
    /// input method or platform (composed or decomposed accents, full-width forms, ligatures) gives the same hash.
    /// </summary>
    public static string NormalizePassword(string password) => Http.UnicodeText.Normalize(password, NormalizationForm.FormKC);

    public static string HashPassword(string password, int iterations = DefaultIterations) => Hash(NormalizePassword(password), iterations);

    public static bool VerifyPassword(string password, string encoded) => Verify(NormalizePassword(password), encoded);

    /// <summary>True when the hash was made with weaker parameters than today's: rehash on next successful use.</summary>
    public static bool NeedsRehash(string encoded) =>
        !encoded.StartsWith(Scheme + "$", StringComparison.Ordinal)
        || !int.TryParse(encoded.Split('$')[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations)
        || iterations < DefaultIterations;

    /// <summary>
    /// Secret answers are compared loosely, as users retype them: trimmed, inner spaces collapsed, case- and
    /// accent-insensitive ("Élodie  " = "elodie").
    /// </summary>
    public static string NormalizeAnswer(string answer)
    {
        string decomposed = Http.UnicodeText.Normalize(answer.Trim(), NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        bool lastWasSpace = false;
        foreach (char c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                }

                lastWasSpace = true;
                continue;
            }

            lastWasSpace = false;
            builder.Append(char.ToLowerInvariant(c));
        }

        // Trimmed again: removing a combining mark can leave a space at an end (" \u0301a" → " a").
        return builder.ToString().Normalize(NormalizationForm.FormC).Trim();
    }
}
