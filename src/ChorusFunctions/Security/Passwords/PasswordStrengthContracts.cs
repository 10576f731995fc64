namespace ChorusFunctions.Security.Passwords;

/// <summary>The activation page asks as the user types. The names let it warn about personal information.</summary>
public sealed record PasswordStrengthRequest(string? Password, string? LoginEmail, string? LastName, string? FirstName);

/// <param name="Score">zxcvbn's score, 0 to 4.</param>
/// <param name="UnmetRules">The rule codes the password does not meet (empty: it would be accepted).</param>
public sealed record PasswordStrengthResult(int Score, IReadOnlyList<string> UnmetRules);
