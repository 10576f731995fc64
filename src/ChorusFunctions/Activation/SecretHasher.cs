namespace ChorusFunctions.Activation;

/// <summary>PBKDF2-HMAC-SHA512 hashes of passwords and secret answers, self-describing (<c>pbkdf2-sha512$iterations$salt$hash</c>) so the parameters can be raised later.</summary>
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

        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt.AsSpan(0, saltLength), iterations, HashAlgorithmName.SHA512, hashLength);
        return CryptographicOperations.FixedTimeEquals(actual, expected.AsSpan(0, hashLength));
    }

    /// <summary>In NFKC, the same password typed on another keyboard or platform (accents, full-width forms, ligatures) hashes the same.</summary>
    public static string NormalizePassword(string password) => Http.UnicodeText.Normalize(password, NormalizationForm.FormKC);

    public static string HashPassword(string password, int iterations = DefaultIterations) => Hash(NormalizePassword(password), iterations);

    public static bool VerifyPassword(string password, string encoded) => Verify(NormalizePassword(password), encoded);

    /// <summary>Secret answers are compared as users retype them: inner spaces collapsed, case- and accent-insensitive ("Élodie  " = "elodie").</summary>
    public static string NormalizeAnswer(string answer)
    {
        char[] letters = Http.UnicodeText.Normalize(answer, NormalizationForm.FormD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(char.ToLowerInvariant)
            .ToArray();
        // Split once the marks are gone: removing one can leave a space at an end (" \u0301a" → " a").
        return string.Join(' ', new string(letters).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Normalize(NormalizationForm.FormC).Trim();
    }
}
