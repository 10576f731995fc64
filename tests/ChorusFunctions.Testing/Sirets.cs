namespace ChorusFunctions.Testing;

/// <summary>Valid SIRETs that are in no register, so each test gets its own new structure.</summary>
public static class Sirets
{
    public static string NewValid()
    {
        string siren = Complete(Random.Shared.Next(10_000_000, 99_999_999).ToString("D8"));
        return Complete(siren + Random.Shared.Next(1, 9999).ToString("D4"));
    }

    /// <summary>Appends the Luhn check digit.</summary>
    public static string Complete(string digits)
    {
        for (int d = 0; d <= 9; d++)
        {
            if (ChorusFunctions.Structures.Siret.LuhnValid(digits + d))
            {
                return digits + d;
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    public static string NewEmail(string tag = "test") => $"{tag}.{Guid.NewGuid():N}@exemple.fr";
}
