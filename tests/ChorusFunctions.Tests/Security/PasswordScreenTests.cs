using ChorusFunctions.Activation;
using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Passwords;

namespace ChorusFunctions.Tests.Security;

public sealed class PasswordScreenTests
{
    static readonly PasswordContext Jean = new("jean-pierre.dupont@exemple.fr", "Dupont-Lefèvre", "Jean-Pierre");

    [Fact]
    public void The_embedded_list_holds_the_10000_most_common_passwords()
    {
        // 10,000 lines; a few differ only by case and count once.
        Assert.InRange(CommonPasswords.Count, 9_900, 10_000);
        Assert.True(CommonPasswords.Contains("password"));
        Assert.True(CommonPasswords.Contains("azerty"));
        Assert.True(CommonPasswords.Contains("eyphed")); // the 10,000th
    }

    [Theory]
    [InlineData("Password1")]
    [InlineData("pAsSwOrD1")]
    [InlineData("Qwerty123")]
    [InlineData("Passw0rd")]
    public void Common_passwords_are_refused_whatever_their_case(string password)
    {
        Assert.Empty(PasswordPolicy.UnmetRules(password));
        Assert.Contains(PasswordScreen.Rules.CommonPassword, PasswordScreen.UnmetRules(password, null));
    }

    [Theory]
    [InlineData("Dupont#2024x")]
    [InlineData("xDUPONT-lefevre9")]
    [InlineData("Jean-Pierre!42")]
    [InlineData("!Pierre42abc")]
    [InlineData("9Lefèvre.abc")]
    [InlineData("9LEFEVRE.abc")]
    [InlineData("Jean-Pierre.Dupont1")]
    public void Passwords_containing_the_users_names_or_email_are_refused(string password) =>
        Assert.Contains(PasswordScreen.Rules.PersonalInformation, PasswordScreen.UnmetRules(password, Jean));

    [Theory]
    [InlineData("Tartempion#2024x")]
    [InlineData("Ciel-Bleu-sur-Loire9")]
    [InlineData("Jea9n!Piz9")] // 'jea' alone is not a name part: parts shorter than 4 are not looked for
    public void Unrelated_strong_passwords_are_accepted(string password) =>
        Assert.Empty(PasswordScreen.UnmetRules(password, Jean));

    [Fact]
    public void Short_names_are_not_looked_for_inside_words()
    {
        var al = new PasswordContext("al@exemple.fr", "Li", "Al");
        Assert.Empty(PasswordScreen.UnmetRules("Always-Lime9", al));
    }

    [Theory]
    [InlineData("Bonjour\u0000Monde9")]
    [InlineData("Bonjour\tMonde9")]
    public void Control_characters_are_refused(string password) =>
        Assert.Contains(PasswordScreen.Rules.InvalidCharacters, PasswordScreen.UnmetRules(password, null));

    [Fact]
    public void Ill_formed_text_is_refused() =>
        Assert.Contains(PasswordScreen.Rules.InvalidCharacters, PasswordScreen.UnmetRules("Bonjour\ud800Monde9", null));

    [Fact]
    public void Every_rule_has_a_french_message()
    {
        foreach (string rule in new[] { PasswordPolicy.Rules.MinLength, PasswordPolicy.Rules.MaxLength, PasswordPolicy.Rules.CharacterClasses,
                     PasswordScreen.Rules.CommonPassword, PasswordScreen.Rules.PersonalInformation, PasswordScreen.Rules.InvalidCharacters })
        {
            Assert.NotEqual(PasswordPolicy.Message("unknown"), PasswordScreen.Message(rule));
        }
    }

    [Fact]
    public void The_strength_score_rises_with_unguessability()
    {
        int weak = PasswordStrength.Score("Password1", null);
        int medium = PasswordStrength.Score("Dupont2024!", Jean);
        int strong = PasswordStrength.Score("vK7#qLm2-Tz9@wRb", null);
        Assert.InRange(weak, 0, 1);
        Assert.True(medium < strong);
        Assert.Equal(4, strong);
        Assert.Equal(0, PasswordStrength.Score("", null));
    }

    [Fact]
    public void The_strength_check_returns_score_and_unmet_rules()
    {
        PasswordStrengthResult result = CheckPasswordStrength.Evaluate(new PasswordStrengthRequest("dupont", "jean.dupont@exemple.fr", "Dupont", "Jean"));
        Assert.Equal(0, result.Score);
        Assert.Equal([PasswordPolicy.Rules.MinLength, PasswordPolicy.Rules.CharacterClasses, PasswordScreen.Rules.CommonPassword, PasswordScreen.Rules.PersonalInformation], result.UnmetRules);

        PasswordStrengthResult good = CheckPasswordStrength.Evaluate(new PasswordStrengthRequest("vK7#qLm2-Tz9@wRb", null, null, null));
        Assert.Empty(good.UnmetRules);
        Assert.Equal(4, good.Score);
    }

    [Fact]
    public void Very_long_passwords_are_scored_on_their_first_128_characters_quickly()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        PasswordStrengthResult result = CheckPasswordStrength.Evaluate(new PasswordStrengthRequest(new string('a', 16_000), "a@b.fr", new string('b', 300), null));
        Assert.Contains(PasswordPolicy.Rules.MaxLength, result.UnmetRules);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Unicode_normalisation_never_throws_and_keeps_well_formed_text()
    {
        Assert.Equal("é", UnicodeText.Normalize("e\u0301"));
        Assert.Equal("a\uFFFDb", UnicodeText.Normalize("a\ud800b"));
        Assert.Equal("\U0001F600", UnicodeText.Normalize("\U0001F600"));
        Assert.False(UnicodeText.IsWellFormed("\udc00x"));
        Assert.True(UnicodeText.IsWellFormed("\U0001F600"));
    }
}
