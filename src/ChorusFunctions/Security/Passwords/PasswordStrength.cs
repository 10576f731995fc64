namespace ChorusFunctions.Security.Passwords;

/// <summary>The complexity indicator: zxcvbn's score, 0 (too guessable) to 4 (very unguessable).</summary>
public static class PasswordStrength
{
    /// <summary>zxcvbn's matching grows faster than linearly with the length: only this much is scored.</summary>
    public const int MaxScoredLength = PasswordPolicy.MaxLength;

    public static int Score(string password, PasswordContext? context)
    {
        if (password.Length == 0)
        {
            return 0;
        }

        string scored = password.Length > MaxScoredLength ? password[..MaxScoredLength] : password;
        IEnumerable<string> userInputs = context is null ? [] : PasswordScreen.Needles(context).ToArray();
        try
        {
            return Math.Clamp(Zxcvbn.Zxcvbn.MatchPassword(scored, userInputs).Score, 0, 4);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            // A library failure on an odd string must not fail the request: such a string is no good password anyway.
            return 0;
        }
    }
}

/// <summary>The activation page asks as the user types. The names let it warn about personal information.</summary>
public sealed record PasswordStrengthRequest(string? Password, string? LoginEmail, string? LastName, string? FirstName);

/// <param name="Score">zxcvbn's score, 0 to 4.</param>
/// <param name="UnmetRules">The rule codes the password does not meet (empty: it would be accepted).</param>
public sealed record PasswordStrengthResult(int Score, IReadOnlyList<string> UnmetRules);
