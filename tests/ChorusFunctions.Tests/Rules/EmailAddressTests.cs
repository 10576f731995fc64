using ChorusFunctions.Email;
using ChorusFunctions.Signup;

namespace ChorusFunctions.Tests.Rules;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("  Georges.Lucas@Example.FR ", "georges.lucas@example.fr")]
    [InlineData("élodie@exemple.fr", "élodie@exemple.fr")]
    [InlineData("E\u0301lodie@exemple.fr", "élodie@exemple.fr")] // decomposed accent → NFC
    public void Normalizes_to_trimmed_lowercase_nfc(string typed, string expected) =>
        Assert.Equal(expected, EmailAddress.Normalize(typed));

    [Theory]
    [InlineData("a@b.fr")]
    [InlineData("prenom.nom+facturation@entreprise.co.uk")]
    [InlineData("élodie@exemple.fr")]
    [InlineData("contact@société.fr")] // IDN domain
    [InlineData("o'brien@exemple.ie")]
    public void Accepts_real_addresses(string email) => Assert.True(EmailAddress.IsValid(EmailAddress.Normalize(email)));

    [Theory]
    [InlineData("")]
    [InlineData("plainaddress")]
    [InlineData("@exemple.fr")]
    [InlineData("a@")]
    [InlineData("a@b")]
    [InlineData("a@@b.fr")]
    [InlineData("a b@exemple.fr")]
    [InlineData("a@exemple..fr")]
    [InlineData(".a@exemple.fr")]
    [InlineData("a.@exemple.fr")]
    [InlineData("a..b@exemple.fr")]
    [InlineData("a@-exemple.fr")]
    [InlineData("a@exemple.fr\n")]
    [InlineData("a\u0000@exemple.fr")]
    [InlineData("<a@exemple.fr>")]
    [InlineData("a@exemple.1")]
    public void Refuses_malformed_addresses(string email) => Assert.False(EmailAddress.IsValid(email));

    [Fact]
    public void Refuses_overlong_addresses()
    {
        Assert.False(EmailAddress.IsValid(new string('a', 65) + "@exemple.fr"));
        Assert.False(EmailAddress.IsValid("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5)) + ".fr"));
    }

    [Fact]
    public void Local_part_is_what_precedes_the_at_sign() => Assert.Equal("georges.lucas", EmailAddress.LocalPart("georges.lucas@example.fr"));
}
