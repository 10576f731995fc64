using ChorusFunctions.Structures;

namespace ChorusFunctions.Tests.Rules;

public sealed class SiretTests
{
    [Theory]
    [InlineData("73282932000074")] // a real, Luhn-valid SIRET
    [InlineData("44942603000135")] // the embedded directory's Truffaut
    [InlineData("35600000000048")] // La Poste's head office also passes Luhn
    [InlineData("35600000049837")] // a La Poste establishment: digit sum 45, a multiple of 5
    public void Accepts_valid_sirets(string siret) => Assert.True(Siret.IsValidSiret(siret));

    [Theory]
    [InlineData("73282932000075")] // last digit changed
    [InlineData("7328293200007")] // 13 digits
    [InlineData("732829320000741")] // 15 digits
    [InlineData("7328293200007A")]
    [InlineData("")]
    [InlineData("35600000049838")] // La Poste, digit sum 46
    [InlineData("12345678900000")] // invalid SIREN
    public void Refuses_invalid_sirets(string siret) => Assert.False(Siret.IsValidSiret(siret));

    [Fact]
    public void A_siret_whose_siren_fails_luhn_is_refused_even_if_the_whole_passes()
    {
        // 14-digit Luhn-valid number built on a SIREN that is itself invalid.
        string siren = "123456780"; // Luhn-invalid SIREN (…789 would be valid)
        Assert.False(Siret.IsValidSiren(siren));
        string siret = Testing.Sirets.Complete(siren + "0001");
        Assert.True(Siret.LuhnValid(siret));
        Assert.False(Siret.IsValidSiret(siret));
    }

    [Theory]
    [InlineData("732 829 320 00074", "73282932000074")]
    [InlineData("732.829.320.00074", "73282932000074")]
    [InlineData("732-829-320-00074", "73282932000074")]
    [InlineData("732\u00A0829\u00A0320\u00A000074", "73282932000074")]
    public void Normalization_keeps_digits_only(string typed, string expected) => Assert.Equal(expected, Siret.Normalize(typed));

    [Fact]
    public void Every_generated_test_siret_is_valid()
    {
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(Siret.IsValidSiret(Testing.Sirets.NewValid()));
        }
    }

    [Theory]
    [InlineData("SIRET", "73282932000074", true, null)]
    [InlineData("SIRET", "7328293200007", false, "identifier")]
    [InlineData("SIRET", "73282932000075", false, "identifier")]
    [InlineData("SIRET", "", false, "identifier")]
    [InlineData("siret", "73282932000074", false, "identifierType")]
    [InlineData("NOPE", "73282932000074", false, "identifierType")]
    [InlineData("0", "73282932000074", false, "identifierType")]
    [InlineData(null, "73282932000074", false, "identifierType")]
    public void Parses_structure_identifiers(string? type, string value, bool valid, string? field)
    {
        bool parsed = StructureIdentifier.TryParse(type, value, country: null, derivedIdentifier: null, out StructureIdentifier? identifier, out string? error, out string errorField);
        Assert.Equal(valid, parsed);
        if (valid)
        {
            Assert.Equal("SIRET_73282932000074", identifier!.Key);
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(field, errorField);
            Assert.False(string.IsNullOrWhiteSpace(error));
        }
    }
}
