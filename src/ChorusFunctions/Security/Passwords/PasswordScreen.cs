using ChorusFunctions.Email;

namespace ChorusFunctions.Security.Passwords;

/// <summary>What the password must not contain: the account's own identity.</summary>
public sealed record PasswordContext(string? LoginEmail, string? LastName, string? FirstName);

/// <summary>
/// The whole password rule set: the guide's policy (<see cref="PasswordPolicy"/>), plus the 10,000 most common
/// passwords and passwords containing the email's local part, the nom or the prénom (case- and accent-insensitive).
/// </summary>
internal static class PasswordScreen
{
    /// <summary>Rule codes beyond <see cref="PasswordPolicy.Rules"/>.</summary>
    public static class Rules
    {
        public const string CommonPassword = "common_password";
        public const string PersonalInformation = "personal_information";
        public const string InvalidCharacters = "invalid_characters";
    }

    /// <summary>Whole names and local parts shorter than this are not looked for ("Al" is in too many words).</summary>
    public const int MinWholeLength = 3;

    /// <summary>Parts of a name or local part ("jean-pierre.dupont" → jean, pierre, dupont) shorter than this are not looked for.</summary>
    public const int MinPartLength = 4;

    /// <summary>Every rule the password does not meet, in a stable order; empty when it is acceptable.</summary>
    public static IReadOnlyList<string> UnmetRules(string password, PasswordContext? context) =>
    [
        .. PasswordPolicy.UnmetRules(password),
        .. PasswordPolicy.Unmet(!UnicodeText.IsWellFormed(password) || password.Any(char.IsControl), Rules.InvalidCharacters),
        .. PasswordPolicy.Unmet(CommonPasswords.Contains(password), Rules.CommonPassword),
        .. PasswordPolicy.Unmet(context is not null && ContainsPersonalInformation(password, context), Rules.PersonalInformation),
    ];

    public static string Message(string rule) => rule switch
    {
        Rules.CommonPassword => "Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre.",
        Rules.InvalidCharacters => "Le mot de passe contient des caractères qui ne peuvent pas être saisis (caractères de contrôle).",
        Rules.PersonalInformation => "Le mot de passe ne doit contenir ni votre nom, ni votre prénom, ni la partie de votre adresse électronique avant « @ ».",
        _ => PasswordPolicy.Message(rule),
    };

    public static bool ContainsPersonalInformation(string password, PasswordContext context) =>
        password.Length <= PasswordPolicy.MaxLength * 4 && Fold(password) is var folded && Needles(context).Any(needle => folded.Contains(needle, StringComparison.Ordinal));

    /// <summary>The folded values looked for: whole local part, nom, prénom, and their longer parts.</summary>
    public static IEnumerable<string> Needles(PasswordContext context)
    {
        string? localPart = context.LoginEmail is { } email && email.Contains('@', StringComparison.Ordinal) ? EmailAddress.LocalPart(email) : context.LoginEmail;
        return new[] { localPart, context.LastName, context.FirstName }
            .Where(value => !string.IsNullOrWhiteSpace(value) && value.Length <= 256)
            .Select(value => Fold(value!))
            .SelectMany(whole => whole.Split([' ', '-', '.', '_', '+', '\''], StringSplitOptions.RemoveEmptyEntries).Where(part => part.Length >= MinPartLength).Prepend(whole))
            .Where(needle => needle.Length >= MinWholeLength) // parts are longer already: this is for the whole value
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>Lower case, without accents or other combining marks, NFC ("Éloïse" → "eloise").</summary>
    public static string Fold(string value) => string.Concat(UnicodeText.Normalize(value, NormalizationForm.FormD)
        .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
        .Select(char.ToLowerInvariant)).Normalize(NormalizationForm.FormC);
}
