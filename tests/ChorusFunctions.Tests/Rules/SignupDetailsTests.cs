using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Tests.Rules;

/// <summary>Step 2's replay rule: the same details sent again match the row they were applied to, others do not.</summary>
public sealed class SignupDetailsTests
{
    static SignupEntity Row(string identifierType = "SIRET", bool structureExists = false) => new()
    {
        PartitionKey = new string('a', 32),
        Status = SignupStatus.AwaitingDetails,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddHours(1),
        LoginEmail = "jeanne.martin@exemple.fr",
        IdentifierType = Enum.Parse<IdentifierType>(identifierType),
        Identifier = "12345678901234567890",
        StructureKey = "key",
        StructureExists = structureExists,
    };

    static SubmitDetailsRequest Request(string? companyName = "Boulangerie Martin", string? contactEmail = null) => new(
        "Jeanne.Martin@Exemple.fr", "Martin", "Jeanne", contactEmail, Captcha: null,
        new StructureAddress(companyName, null, "1 rue de la Paix", null, null, "75002", "Paris", "FR"),
        new FeaturesInput());

    static SignupDetails Valid(SubmitDetailsRequest request, SignupEntity row)
    {
        Outcome<SignupDetails> details = SignupDetails.Validate(request, row);
        Assert.Null(details.Problem);
        return details.Value!;
    }

    [Theory]
    [InlineData("SIRET", false)]
    [InlineData("PARTICULIER", false)]
    [InlineData("SIRET", true)]
    public void The_same_details_sent_again_match(string identifierType, bool structureExists)
    {
        SignupEntity row = Row(identifierType, structureExists);
        Valid(Request(), row).ApplyTo(row);
        Assert.True(Valid(Request(), row).Matches(row));
    }

    [Fact]
    public void Other_details_do_not_match()
    {
        SignupEntity row = Row();
        Valid(Request(), row).ApplyTo(row);
        Assert.False(Valid(Request(companyName: "Autre raison sociale"), row).Matches(row));
        Assert.False(Valid(Request(contactEmail: "compta@exemple.fr"), row).Matches(row));
        Assert.False(Valid(Request() with { FirstName = "Jean" }, row).Matches(row));
        Assert.False(Valid(Request() with { Features = new FeaturesInput(PaymentRequests: true, Dume: true) }, row).Matches(row));
    }

    [Fact]
    public void A_private_persons_structure_is_named_after_the_person()
    {
        SignupEntity row = Row("PARTICULIER");
        Valid(Request(companyName: null), row).ApplyTo(row);
        Assert.Equal("Jeanne Martin", row.CompanyName);
        Assert.Equal("jeanne.martin@exemple.fr", row.ContactEmail);
    }
}
