using System.Net;
using System.Text.Json.Nodes;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Structures;

/// <summary>Every identifier type accepted or refused through the API (step 1, step 2 and the structure lookup).</summary>
public sealed class IdentifierTypeTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    readonly ApiClient api = new(fixture.Stack);

    Task<ApiClient.Response> StartAsync(string type, string? identifier, string? country = null) =>
        api.SendAsync(HttpMethod.Post, "api/signups", new { loginEmail = Sirets.NewEmail("types"), identifierType = type, identifier, country });

    static JsonNode Structure(ApiClient.Response response) => response.Body!["structure"]!;

    static string[] Errors(ApiClient.Response response, string field) =>
        response.Body!["errors"]![field]!.AsArray().Select(e => e!.GetValue<string>()).ToArray();

    [Theory]
    [InlineData("UE_HORS_FRANCE", "be 0417.497.106", null, "BE0417497106", "BE")]
    [InlineData("UE_HORS_FRANCE", "GR094259216", null, "EL094259216", "GR")]
    [InlineData("HORS_UE", "12-3456789", "us", "123456789", "US")]
    [InlineData("RIDET", "123456 001", null, "0123456001", "NC")]
    [InlineData("TAHITI", "a12345", null, "A12345", "PF")]
    public async Task Accepted_identifiers_are_normalised_and_prefill_the_country(string type, string typed, string? country, string normalised, string expectedCountry)
    {
        ApiClient.Response started = await StartAsync(type, typed, country);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(type, Structure(started)["identifierType"]!.GetValue<string>());
        Assert.Equal(normalised, Structure(started)["identifier"]!.GetValue<string>());
        Assert.Equal(expectedCountry, Structure(started)["country"]!.GetValue<string>());
        Assert.False(Structure(started)["prefilled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("UE_HORS_FRANCE", "FR03552081317", null, "identifier", "SIRET")]
    [InlineData("UE_HORS_FRANCE", "DE12345", null, "identifier", "Allemagne")]
    [InlineData("HORS_UE", "123456789", null, "country", "pays")]
    [InlineData("HORS_UE", "123456789", "DE", "country", "Union européenne")]
    [InlineData("RIDET", "12345", null, "identifier", "RIDET")]
    [InlineData("TAHITI", "AB1234", null, "identifier", "TAHITI")]
    [InlineData("AUTRE", "123", null, "identifierType", "type")]
    public async Task Refused_identifiers_answer_400_with_a_french_message_on_their_field(string type, string typed, string? country, string field, string fragment)
    {
        ApiClient.Response refused = await StartAsync(type, typed, country);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("validation_failed", refused.Code);
        Assert.Contains(Errors(refused, field), m => m.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_private_person_gets_a_derived_identifier_and_a_structure_named_after_them()
    {
        ApiClient.Response started = await StartAsync("PARTICULIER", null);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        string identifier = Structure(started)["identifier"]!.GetValue<string>();
        Assert.Matches("^[0-9A-F]{20}$", identifier);

        string signupId = started.Text("signupId");
        string email = started.Text("loginEmail");
        ApiClient.Response details = await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", new
        {
            loginEmailConfirmation = email,
            lastName = "Martin",
            firstName = "Jeanne",
            structure = new { address = "3 RUE DES LILAS", postalCode = "69003", city = "LYON", country = "FR" },
            features = new { paymentRequests = true, dume = false },
        });
        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Equal("Jeanne Martin", Structure(details)["companyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_non_eu_structure_keeps_its_declared_country_at_step_two()
    {
        ApiClient.Response started = await StartAsync("HORS_UE", "987654321", "CA");
        string signupId = started.Text("signupId");
        string email = started.Text("loginEmail");
        ApiClient.Response details = await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", new
        {
            loginEmailConfirmation = email,
            lastName = "Tremblay",
            firstName = "Luc",
            structure = new { companyName = "ERABLE INC", address = "1 RUE PRINCIPALE", postalCode = "H2X 1Y4", city = "MONTREAL", country = "US" },
            features = new { paymentRequests = true, dume = false },
        });
        Assert.Equal(HttpStatusCode.BadRequest, details.Status);
        Assert.Contains(Errors(details, "structure.country"), m => m.Contains("CA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_structure_lookup_validates_and_prefills()
    {
        ApiClient.Response known = await api.SendAsync(HttpMethod.Get, "api/structures/SIRET/449%20426%20030%2000135");
        Assert.Equal(HttpStatusCode.OK, known.Status);
        Assert.True(known.Body!["valid"]!.GetValue<bool>());
        Assert.Equal("44942603000135", known.Text("identifier"));
        Assert.Equal("Found", known.Text("register"));
        Assert.Equal("ETS HORTICOLES GEORGES TRUFFAUT", known.Body["prefill"]!["companyName"]!.GetValue<string>());

        ApiClient.Response invalid = await api.SendAsync(HttpMethod.Get, "api/structures/UE_HORS_FRANCE/FR03552081317");
        Assert.Equal(HttpStatusCode.OK, invalid.Status);
        Assert.False(invalid.Body!["valid"]!.GetValue<bool>());
        Assert.Contains("SIRET", invalid.Text("message"), StringComparison.Ordinal);

        ApiClient.Response nonEu = await api.SendAsync(HttpMethod.Get, "api/structures/HORS_UE/123456789?country=JP");
        Assert.True(nonEu.Body!["valid"]!.GetValue<bool>());
        Assert.Equal("NotApplicable", nonEu.Text("register"));
        Assert.Equal("JP", nonEu.Text("country"));

        ApiClient.Response noCountry = await api.SendAsync(HttpMethod.Get, "api/structures/HORS_UE/123456789");
        Assert.Equal("country", noCountry.Text("field"));
    }
}
