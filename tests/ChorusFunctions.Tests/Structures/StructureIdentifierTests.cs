using ChorusFunctions.Activation;
using ChorusFunctions.Security;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using CsCheck;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Structures;

public sealed class StructureIdentifierTests
{
    static readonly ActivationTokens Keys = new(Options.Create(new SecurityOptions { TokenKey = Testing.LocalStack.TestTokenKey }));

    static StructureIdentifier Accept(string type, string? value, string? country = null, string? email = null)
    {
        bool ok = StructureIdentifier.TryParse(type, value, country, email is null ? null : Keys.DeriveStructureIdentifier(email), out StructureIdentifier? identifier, out string? error, out string field);
        Assert.True(ok, $"{type} '{value}' refused on {field}: {error}");
        return identifier!;
    }

    static (string Field, string Message) Refuse(string? type, string? value, string? country = null, string? email = null)
    {
        bool ok = StructureIdentifier.TryParse(type, value, country, email is null ? null : Keys.DeriveStructureIdentifier(email), out StructureIdentifier? identifier, out string? error, out string field);
        Assert.False(ok, $"{type} '{value}' accepted as {identifier}");
        Assert.False(string.IsNullOrWhiteSpace(error));
        return (field, error!);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("siret")]
    [InlineData("3")]
    [InlineData("AUTRE")]
    [InlineData("SIRET2")]
    public void Unknown_types_are_refused_on_the_type_field(string? type) =>
        Assert.Equal("identifierType", Refuse(type, "44942603000135").Field);

    [Fact]
    public void Siret_is_normalised_and_keyed_by_type_and_digits()
    {
        StructureIdentifier id = Accept("SIRET", " 449 426.030-00135 ");
        Assert.Equal("44942603000135", id.Value);
        Assert.Equal("FR", id.Country);
        Assert.Equal("SIRET_44942603000135", id.Key);
    }

    [Theory]
    [InlineData("4494260300013", "14 chiffres")]
    [InlineData("44942603000136", "pas valide")]
    [InlineData("4494260300013A", "14 chiffres")]
    public void Bad_sirets_are_refused_in_french(string value, string fragment) =>
        Assert.Contains(fragment, Refuse("SIRET", value).Message);

    [Fact]
    public void An_overlong_value_is_refused_before_any_parsing() =>
        Assert.Contains("trop long", Refuse("HORS_UE", new string('1', 65), "US").Message);

    // ---- UE_HORS_FRANCE

    [Theory]
    [InlineData("IE6388047V", "IE6388047V", "IE")]
    [InlineData("lu 2026 0743", "LU20260743", "LU")]
    [InlineData("nl 8057.34958.b01", "NL805734958B01", "NL")]
    [InlineData("DK 54 56 25 19", "DK54562519", "DK")]
    [InlineData("FI01120389", "FI01120389", "FI")]
    [InlineData("PT 500 697 256", "PT500697256", "PT")]
    [InlineData("ATU12345678", "ATU12345678", "AT")]
    [InlineData("DE123456789", "DE123456789", "DE")]
    [InlineData("GR094259216", "EL094259216", "GR")]
    [InlineData("el094259216", "EL094259216", "GR")]
    [InlineData("ESA28015865", "ESA28015865", "ES")]
    [InlineData("ES12345678Z", "ES12345678Z", "ES")]
    [InlineData("CY12345678X", "CY12345678X", "CY")]
    [InlineData("SE123456789001", "SE123456789001", "SE")]
    [InlineData("RO18547290", "RO18547290", "RO")]
    [InlineData("IE1234567WA", "IE1234567WA", "IE")]
    public void Eu_vat_numbers_are_normalised_and_their_country_kept(string typed, string normalised, string country)
    {
        if (normalised == "IE1234567WA")
        {
            // Two-letter Irish numbers: the check letter depends on the second letter; build a valid one.
            normalised = ValidIrishTwoLetters("1234567", 'A');
            typed = normalised;
        }

        StructureIdentifier id = Accept("UE_HORS_FRANCE", typed);
        Assert.Equal(normalised, id.Value);
        Assert.Equal(country, id.Country);
        Assert.Equal($"UE_HORS_FRANCE_{normalised}", id.Key);
    }

    static string ValidIrishTwoLetters(string digits, char second)
    {
        foreach (char check in "WABCDEFGHIJKLMNOPQRSTUV")
        {
            string candidate = $"IE{digits}{check}{second}";
            if (VatNumber.IsValid(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no check letter");
    }

    [Fact]
    public void The_french_vat_key_is_computed_from_the_siren()
    {
        Assert.Equal("03", VatNumber.FrenchKey("552081317"));
        Assert.True(VatNumber.IsValid("FR03552081317"));
        Assert.True(VatNumber.IsValid("fr 03 552 081 317"));
        Assert.False(VatNumber.IsValid("FR04552081317"));
    }

    [Fact]
    public void A_french_vat_number_is_not_hors_france_and_points_to_the_siret()
    {
        Assert.Contains("SIRET", Refuse("UE_HORS_FRANCE", "FR03552081317").Message);
        Assert.Contains("pas valide", Refuse("UE_HORS_FRANCE", "FR04552081317").Message);
    }

    [Theory]
    [InlineData("US123456789", "code du pays")]
    [InlineData("XX123456", "code du pays")]
    [InlineData("BE", "code du pays")]
    [InlineData("DE12345678", "DE (Allemagne)")]
    [InlineData("ATX12345678", "la lettre U")]
    [InlineData("ES123456789", "Espagne")]
    [InlineData("DK54562518", "pas valide")]
    [InlineData("BE0417497107", "pas valide")]
    [InlineData("NL805734959B01", "pas valide")]
    [InlineData("IE6388047W", "pas valide")]
    [InlineData("PT500697257", "pas valide")]
    [InlineData("LU20260744", "pas valide")]
    [InlineData("IT00743110158", "pas valide")]
    public void Bad_eu_vat_numbers_are_refused_with_the_country_rule(string value, string fragment) =>
        Assert.Contains(fragment, Refuse("UE_HORS_FRANCE", value).Message);

    [Fact]
    public void Belgian_numbers_follow_mod_97_for_any_base() =>
        Gen.Int[0, 19_999_999].Sample(n =>
        {
            string first8 = n.ToString("D8");
            int check = 97 - (n % 97);
            Assert.True(VatNumber.IsValid($"BE{first8}{check:D2}"));
            Assert.False(VatNumber.IsValid($"BE{first8}{(check % 97) + 1:D2}"));
        });

    [Fact]
    public void Every_siren_gives_a_valid_french_vat_number_that_is_refused_as_hors_france() =>
        Gen.Int[0, 99_999_999].Sample(n =>
        {
            string siren = ChorusFunctions.Tests.Structures.TestSirets.Complete(n.ToString("D8"));
            string vat = $"FR{VatNumber.FrenchKey(siren)}{siren}";
            Assert.True(VatNumber.IsValid(vat), vat);
            Assert.Contains("SIRET", Refuse("UE_HORS_FRANCE", vat).Message);
        }, iter: 500);

    // ---- HORS_UE

    [Fact]
    public void A_non_eu_identifier_needs_a_country()
    {
        Assert.Equal("country", Refuse("HORS_UE", "123456789").Field);
        Assert.Equal("country", Refuse("HORS_UE", "123456789", "ZZ").Field);
        Assert.Equal("country", Refuse("HORS_UE", "123456789", "USA").Field);
    }

    [Theory]
    [InlineData("DE", "Union européenne")]
    [InlineData("IT", "Union européenne")]
    [InlineData("AX", "Union européenne")]
    [InlineData("FR", "SIRET")]
    [InlineData("RE", "SIRET")]
    [InlineData("NC", "RIDET")]
    [InlineData("PF", "TAHITI")]
    public void Eu_and_french_countries_are_not_hors_ue(string country, string fragment)
    {
        (string field, string message) = Refuse("HORS_UE", "123456789", country);
        Assert.Equal("country", field);
        Assert.Contains(fragment, message);
    }

    [Fact]
    public void A_non_eu_identifier_is_normalised_and_keyed_with_its_country()
    {
        StructureIdentifier id = Accept("HORS_UE", " 12-345.6789 ", "us");
        Assert.Equal("123456789", id.Value);
        Assert.Equal("US", id.Country);
        Assert.Equal("HORS_UE_US_123456789", id.Key);
        Assert.NotEqual(id.Key, Accept("HORS_UE", "123456789", "CA").Key);
        Assert.Equal("CHE123456789", Accept("HORS_UE", "che-123.456.789", "CH").Value);
        Assert.Equal(18, Accept("HORS_UE", new string('7', 18), "GB").Value.Length);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1234567890123456789")]
    [InlineData("ABCDEF")]
    [InlineData("12#45")]
    [InlineData("１２３４５")]
    public void Bad_non_eu_identifiers_are_refused(string value) =>
        Assert.Equal("identifier", Refuse("HORS_UE", value, "US").Field);

    // ---- RIDET and TAHITI

    [Theory]
    [InlineData("1234567", "1234567")]
    [InlineData("123456", "0123456")]
    [InlineData("1 234 567.001", "1234567001")]
    [InlineData("123456 001", "0123456001")]
    [InlineData("0123456-001", "0123456001")]
    public void Ridet_numbers_are_padded_to_seven_digits(string typed, string normalised)
    {
        StructureIdentifier id = Accept("RIDET", typed);
        Assert.Equal(normalised, id.Value);
        Assert.Equal("NC", id.Country);
        Assert.Equal(Accept("RIDET", normalised).Key, id.Key);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12345678")]
    [InlineData("12345678901")]
    [InlineData("123456A")]
    public void Bad_ridet_numbers_are_refused(string value) =>
        Assert.Contains("RIDET", Refuse("RIDET", value).Message);

    [Theory]
    [InlineData("A12345", "A12345")]
    [InlineData("a12345 001", "A12345001")]
    [InlineData("123456", "123456")]
    [InlineData("123.456.001", "123456001")]
    public void Tahiti_numbers_are_upper_case_without_separators(string typed, string normalised)
    {
        StructureIdentifier id = Accept("TAHITI", typed);
        Assert.Equal(normalised, id.Value);
        Assert.Equal("PF", id.Country);
    }

    [Theory]
    [InlineData("AB1234")]
    [InlineData("A1234")]
    [InlineData("A123456")]
    [InlineData("A12345ABC")]
    [InlineData("A1234500")]
    public void Bad_tahiti_numbers_are_refused(string value) =>
        Assert.Contains("TAHITI", Refuse("TAHITI", value).Message);

    // ---- Derived identifiers

    [Theory]
    [InlineData("PARTICULIER")]
    [InlineData("EN_COURS_IMMATRICULATION")]
    public void Derived_identifiers_come_from_the_login_email_and_ignore_what_was_typed(string type)
    {
        StructureIdentifier a = Accept(type, null, email: "jeanne.martin@exemple.fr");
        StructureIdentifier b = Accept(type, "n'importe quoi", email: "jeanne.martin@exemple.fr");
        StructureIdentifier c = Accept(type, null, email: "paul.martin@exemple.fr");
        Assert.Equal(a, b);
        Assert.NotEqual(a.Value, c.Value);
        Assert.Equal(StructureIdentifier.DerivedLength, a.Value.Length);
        Assert.All(a.Value, ch => Assert.True(char.IsAsciiHexDigitUpper(ch)));
        Assert.Equal($"{type}_{a.Value}", a.Key);

        // Keyed: another server key gives another identifier, so nobody can compute a person's from their email.
        var otherKeys = new ActivationTokens(Options.Create(new SecurityOptions { TokenKey = Convert.ToBase64String(new byte[32]) }));
        Assert.NotEqual(a.Value, otherKeys.DeriveStructureIdentifier("jeanne.martin@exemple.fr"));
        Assert.Equal(a.Value, Keys.DeriveStructureIdentifier("jeanne.martin@exemple.fr"));

        // Without the email (the structure lookup), the derived identifier itself is expected, in any case.
        Assert.Equal(a.Value, Accept(type, a.Value.ToLowerInvariant()).Value);
        Assert.Equal("identifier", Refuse(type, "12345").Field);
        Assert.Equal("identifier", Refuse(type, null).Field);
    }

    // ---- Properties

    static readonly Gen<string> Separators = Gen.OneOf("", " ", ".", "-", "\u00A0", "\u202F", "\t");

    [Fact]
    public void Separators_anywhere_in_a_siret_do_not_change_it() =>
        Gen.Select(Gen.Int[0, 99_999_999], Gen.Int[1, 9999], Separators.Array[15]).Sample((sirenBase, nic, seps) =>
        {
            string siren = TestSirets.Complete(sirenBase.ToString("D8"));
            string siret = TestSirets.Complete(siren + nic.ToString("D4"));
            string typed = string.Concat(siret.Select((c, i) => seps[i] + c)) + seps[14];
            Assert.Equal(siret, Accept("SIRET", typed).Value);
        });

    [Fact]
    public void Parsing_never_throws_and_accepted_values_are_stable() =>
        Gen.Select(Gen.OneOf(Enum.GetNames<IdentifierType>()), Gen.String[Gen.Char.AlphaNumeric, 0, 24], Gen.OneOf<string?>(null, "US", "DE", "NC"))
            .Sample((type, value, country) =>
            {
                if (StructureIdentifier.TryParse(type, value, country, null, out StructureIdentifier? id, out _, out _))
                {
                    // Parsing the normalised value again gives the same identifier (normalisation is idempotent).
                    Assert.True(StructureIdentifier.TryParse(type, id!.Value, id.Country ?? country, null, out StructureIdentifier? again, out _, out _));
                    Assert.Equal(id.Key, again!.Key);
                    Assert.DoesNotContain('/', id.Key);
                }
            }, iter: 2000);
}

/// <summary>Valid SIREN/SIRET digits by Luhn completion.</summary>
static class TestSirets
{
    public static string Complete(string digits)
    {
        for (int d = 0; d <= 9; d++)
        {
            if (Siret.LuhnValid(digits + d))
            {
                return digits + d;
            }
        }

        throw new InvalidOperationException("unreachable");
    }
}
