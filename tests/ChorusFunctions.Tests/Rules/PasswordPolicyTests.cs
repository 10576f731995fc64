using ChorusFunctions.Security.Passwords;

namespace ChorusFunctions.Tests.Rules;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("Abcdefg1", true)] // upper + lower + digit
    [InlineData("abcdefg1!", true)] // lower + digit + special
    [InlineData("ABCDEFG1!", true)] // upper + digit + special
    [InlineData("Abcdefgh!", true)] // upper + lower + special
    [InlineData("abcdefgh", false)] // one class
    [InlineData("abcdefg1", false)] // two classes
    [InlineData("ABCDEFGH", false)]
    [InlineData("12345678", false)]
    [InlineData("!!!!!!!!", false)]
    [InlineData("Abcdefgh", false)] // upper + lower only
    [InlineData("abcdéfgh1", true)] // accents count as special characters
    [InlineData("ÉLODIE2026", true)] // accented capital = special; upper + digit + special
    [InlineData("élodieàè", false)] // lower + special only
    [InlineData("abc def 12", true)] // a space is special
    public void Requires_three_of_four_classes(string password, bool acceptable) =>
        Assert.Equal(acceptable, PasswordPolicy.UnmetRules(password).Count == 0);

    [Fact]
    public void Length_bounds_are_8_and_128()
    {
        Assert.Contains(PasswordPolicy.Rules.MinLength, PasswordPolicy.UnmetRules("Abcde1!"));
        Assert.Empty(PasswordPolicy.UnmetRules("Abcdef1!"));
        Assert.Empty(PasswordPolicy.UnmetRules("Aa1!" + new string('x', 124)));
        Assert.Contains(PasswordPolicy.Rules.MaxLength, PasswordPolicy.UnmetRules("Aa1!" + new string('x', 125)));
    }

    [Fact]
    public void A_decomposed_accent_counts_as_one_character()
    {
        string decomposed = "Abcde\u0301f1"; // 7 text elements, 8 chars
        Assert.Equal(7, PasswordPolicy.Length(decomposed));
        Assert.Contains(PasswordPolicy.Rules.MinLength, PasswordPolicy.UnmetRules(decomposed));
    }

    [Theory]
    [InlineData('A', PasswordPolicy.CharacterClass.Upper)]
    [InlineData('z', PasswordPolicy.CharacterClass.Lower)]
    [InlineData('5', PasswordPolicy.CharacterClass.Digit)]
    [InlineData('é', PasswordPolicy.CharacterClass.Special)]
    [InlineData('É', PasswordPolicy.CharacterClass.Special)]
    [InlineData('?', PasswordPolicy.CharacterClass.Special)]
    [InlineData('€', PasswordPolicy.CharacterClass.Special)]
    public void Classifies_characters(char c, PasswordPolicy.CharacterClass expected) => Assert.Equal(expected, PasswordPolicy.Classify(c));

    [Fact]
    public void Every_rule_has_a_french_message()
    {
        foreach (string rule in new[] { PasswordPolicy.Rules.MinLength, PasswordPolicy.Rules.MaxLength, PasswordPolicy.Rules.CharacterClasses })
        {
            Assert.StartsWith("Le mot de passe", PasswordPolicy.Message(rule), StringComparison.Ordinal);
        }
    }
}
