namespace ChorusFunctions.Security.Passwords;

/// <summary>The guide's rule: 8 to 128 characters, 3 of 4 classes (upper, lower, digit, special — punctuation, symbols, accented letters).</summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;
    public const int RequiredClasses = 3;

    public static class Rules
    {
        public const string MinLength = "min_length";
        public const string MaxLength = "max_length";
        public const string CharacterClasses = "character_classes";
    }

    [Flags]
    public enum CharacterClass
    {
        None = 0,
        Upper = 1,
        Lower = 2,
        Digit = 4,
        Special = 8,
    }

    /// <summary>Counts text elements, so an accented letter typed as two code points counts once.</summary>
    public static int Length(string password) => new StringInfo(password).LengthInTextElements;

    public static CharacterClass Classes(string password) =>
        UnicodeText.Normalize(password).Aggregate(CharacterClass.None, (classes, c) => classes | Classify(c));

    /// <summary>Only unaccented ASCII letters count as upper/lower case: the guide counts accents as special characters.</summary>
    public static CharacterClass Classify(char c) => c switch
    {
        >= 'A' and <= 'Z' => CharacterClass.Upper,
        >= 'a' and <= 'z' => CharacterClass.Lower,
        >= '0' and <= '9' => CharacterClass.Digit,
        _ when char.IsControl(c) => CharacterClass.None,
        _ => CharacterClass.Special,
    };

    public static int ClassCount(CharacterClass classes) => System.Numerics.BitOperations.PopCount((uint)classes);

    /// <summary>The rules the password does not meet (empty when it is acceptable).</summary>
    public static IReadOnlyList<string> UnmetRules(string password)
    {
        int length = Length(password);
        return [.. Unmet(length < MinLength, Rules.MinLength), .. Unmet(length > MaxLength, Rules.MaxLength), .. Unmet(ClassCount(Classes(password)) < RequiredClasses, Rules.CharacterClasses)];
    }

    internal static string[] Unmet(bool unmet, string rule) => unmet ? [rule] : [];

    public static string Message(string rule) => rule switch
    {
        Rules.MinLength => $"Le mot de passe doit comporter au moins {MinLength} caractères.",
        Rules.MaxLength => $"Le mot de passe doit comporter au plus {MaxLength} caractères.",
        Rules.CharacterClasses => "Le mot de passe doit comporter au moins 3 types de caractères parmi : majuscules, minuscules, chiffres, caractères spéciaux (ponctuation, accents…).",
        _ => "Le mot de passe ne respecte pas les règles de sécurité.",
    };
}
