using System.Diagnostics;
using ChorusFunctions.Structures;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChorusFunctions.Tests.Structures;

/// <summary>The register providers against a fake server serving each API's documented JSON and failures.</summary>
public sealed class DirectoryProviderTests : IDisposable
{
    const string SirenePath = "/api-sirene/3.11/siret/" + RegisterPayloads.Siret;
    static readonly StructureIdentifier Truffaut = new(IdentifierType.SIRET, RegisterPayloads.Siret, "FR");

    readonly FakeRegister register = FakeRegister.Start();

    public void Dispose() => register.Dispose();

    static Task<DirectoryLookup> LookupAsync(ServiceProvider services, StructureIdentifier? identifier = null) =>
        services.GetRequiredService<IStructureDirectory>().LookupAsync(identifier ?? Truffaut, CancellationToken.None);

    void Sirene(int status, string? body = null, string? retryAfter = null, TimeSpan? delay = null)
    {
        IResponseBuilder response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json");
        if (body is not null)
        {
            response = response.WithBody(body);
        }

        if (retryAfter is not null)
        {
            response = response.WithHeader("Retry-After", retryAfter);
        }

        if (delay is not null)
        {
            response = response.WithDelay(delay.Value);
        }

        register.Server.Given(Request.Create().WithPath(SirenePath).UsingGet().WithHeader("X-INSEE-Api-Key-Integration", "test-key"))
            .RespondWith(response);
    }

    [Fact]
    public async Task Sirene_prefills_from_the_establishment_and_its_legal_unit()
    {
        Sirene(200, RegisterPayloads.SireneEtablissement());
        using ServiceProvider services = register.Directory("Sirene");

        DirectoryLookup lookup = await LookupAsync(services);

        Assert.Equal(DirectoryResult.Found, lookup.Result);
        StructureAddress prefill = lookup.Prefill!;
        Assert.Equal("ETS HORTICOLES GEORGES TRUFFAUT", prefill.CompanyName);
        Assert.Equal("TRUFFAUT", prefill.Label);
        Assert.Equal("8 RUE DES CHAMPS", prefill.Address);
        Assert.Equal("ZA DU BOIS", prefill.AddressComplement1);
        Assert.Equal("91100", prefill.PostalCode);
        Assert.Equal("CORBEIL-ESSONNES", prefill.City);
        Assert.Equal("FR", prefill.Country);
    }

    [Fact]
    public async Task Sirene_spells_out_street_types_and_names_sole_traders()
    {
        Sirene(200, RegisterPayloads.SireneEtablissement(denomination: null, nom: "\"DUPONT\"", prenom: "\"JEANNE\"", typeVoie: "\"AV\"", libelleVoie: "\"DE LA REPUBLIQUE\"", enseigne: "null"));
        using ServiceProvider services = register.Directory("Sirene");

        StructureAddress prefill = (await LookupAsync(services)).Prefill!;

        Assert.Equal("JEANNE DUPONT", prefill.CompanyName);
        Assert.Equal("8 AVENUE DE LA REPUBLIQUE", prefill.Address);
        Assert.Null(prefill.Label);
    }

    [Fact]
    public async Task Sirene_masked_fields_of_a_partly_diffusible_unit_are_not_prefilled()
    {
        Sirene(200, RegisterPayloads.SireneEtablissement(statutDiffusion: "P", denomination: null, nom: "\"[ND]\"", prenom: "\"[ND]\"",
            numeroVoie: "\"[ND]\"", typeVoie: "\"[ND]\"", libelleVoie: "\"[ND]\"", complement: "\"[ND]\"", enseigne: "\"[ND]\""));
        using ServiceProvider services = register.Directory("Sirene");

        DirectoryLookup lookup = await LookupAsync(services);

        Assert.Equal(DirectoryResult.Found, lookup.Result);
        StructureAddress prefill = lookup.Prefill!;
        Assert.Null(prefill.CompanyName);
        Assert.Null(prefill.Label);
        Assert.Null(prefill.Address);
        Assert.Null(prefill.AddressComplement1);
        Assert.Equal("91100", prefill.PostalCode);
        Assert.Equal("CORBEIL-ESSONNES", prefill.City);
    }

    [Fact]
    public async Task Sirene_partly_diffusible_gives_only_what_insee_publishes_even_unmasked()
    {
        // A sole trader whose unit and establishment are "P": no name, street, complement nor enseigne, though the
        // payload carries them.
        Sirene(200, RegisterPayloads.SireneEtablissement(statutDiffusion: "P", denomination: null, nom: "\"DUPONT\"", prenom: "\"JEANNE\""));
        using ServiceProvider services = register.Directory("Sirene");

        StructureAddress prefill = (await LookupAsync(services)).Prefill!;

        Assert.Null(prefill.CompanyName);
        Assert.Null(prefill.Label);
        Assert.Null(prefill.Address);
        Assert.Null(prefill.AddressComplement1);
        Assert.Equal("91100", prefill.PostalCode);
        Assert.Equal("CORBEIL-ESSONNES", prefill.City);
    }

    [Theory]
    [InlineData("F", "A")]
    [InlineData("A", "C")]
    public async Task Sirene_closed_establishments_and_ceased_units_are_closed(string etablissement, string unite)
    {
        Sirene(200, RegisterPayloads.SireneEtablissement(etatEtablissement: etablissement, etatUnite: unite));
        using ServiceProvider services = register.Directory("Sirene");

        Assert.Equal(DirectoryResult.Closed, (await LookupAsync(services)).Result);
    }

    [Theory]
    [InlineData(404, DirectoryResult.NotFound)]
    [InlineData(403, DirectoryResult.NotDiffusible)]
    [InlineData(401, DirectoryResult.Unavailable)]
    [InlineData(400, DirectoryResult.Unavailable)]
    public async Task Sirene_statuses_map_to_lookups(int status, DirectoryResult expected)
    {
        Sirene(status, status == 403 ? RegisterPayloads.SireneNotDiffusible : RegisterPayloads.SireneNotFound);
        using ServiceProvider services = register.Directory("Sirene");

        Assert.Equal(expected, (await LookupAsync(services)).Result);
        Assert.Equal(1, register.RequestCount(SirenePath));
    }

    [Fact]
    public async Task Sirene_without_the_api_key_header_is_not_matched()
    {
        Sirene(200, RegisterPayloads.SireneEtablissement());
        using ServiceProvider services = register.Directory("Sirene", new Dictionary<string, string?> { ["Directory:Sirene:ApiKey"] = "wrong-key" });

        // The fake answers 404 to a request without the right key: proof that the header is what is sent.
        Assert.Equal(DirectoryResult.NotFound, (await LookupAsync(services)).Result);
    }

    [Fact]
    public async Task A_short_retry_after_is_honoured_then_the_lookup_succeeds()
    {
        register.Server.Given(Request.Create().WithPath(SirenePath).UsingGet()).InScenario("throttled").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        register.Server.Given(Request.Create().WithPath(SirenePath).UsingGet()).InScenario("throttled").WhenStateIs("open")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(RegisterPayloads.SireneEtablissement()));
        using ServiceProvider services = register.Directory("Sirene");

        Stopwatch clock = Stopwatch.StartNew();
        DirectoryLookup lookup = await LookupAsync(services);

        Assert.Equal(DirectoryResult.Found, lookup.Result);
        Assert.Equal(2, register.RequestCount(SirenePath));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}, before the Retry-After");
    }

    [Fact]
    public async Task A_long_retry_after_gives_up_at_once_and_holds_off_the_register()
    {
        Sirene(429, retryAfter: "120");
        using ServiceProvider services = register.Directory("Sirene");

        Stopwatch clock = Stopwatch.StartNew();
        Assert.Equal(DirectoryResult.Unavailable, (await LookupAsync(services)).Result);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(1, register.RequestCount(SirenePath));

        // Within the Retry-After, nothing more is sent.
        Assert.Equal(DirectoryResult.Unavailable, (await LookupAsync(services)).Result);
        Assert.Equal(1, register.RequestCount(SirenePath));
    }

    [Fact]
    public async Task Server_errors_are_retried_then_unavailable()
    {
        Sirene(503);
        using ServiceProvider services = register.Directory("Sirene", new Dictionary<string, string?> { ["Directory:MaxRetryAttempts"] = "2" });

        Assert.Equal(DirectoryResult.Unavailable, (await LookupAsync(services)).Result);
        Assert.Equal(3, register.RequestCount(SirenePath));
    }

    [Fact]
    public async Task A_register_that_does_not_answer_times_out_as_unavailable()
    {
        Sirene(200, RegisterPayloads.SireneEtablissement(), delay: TimeSpan.FromSeconds(10));
        using ServiceProvider services = register.Directory("Sirene", new Dictionary<string, string?>
        {
            ["Directory:AttemptTimeout"] = "00:00:00.300",
            ["Directory:Timeout"] = "00:00:01",
        });

        Stopwatch clock = Stopwatch.StartNew();
        Assert.Equal(DirectoryResult.Unavailable, (await LookupAsync(services)).Result);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Malformed_json_is_unavailable_not_an_error()
    {
        Sirene(200, "{ not json");
        using ServiceProvider services = register.Directory("Sirene");

        Assert.Equal(DirectoryResult.Unavailable, (await LookupAsync(services)).Result);
    }

    [Fact]
    public async Task Answers_are_cached_briefly_but_failures_are_not()
    {
        Sirene(200, RegisterPayloads.SireneEtablissement());
        using ServiceProvider services = register.Directory("Sirene");

        await LookupAsync(services);
        await LookupAsync(services);
        Assert.Equal(1, register.RequestCount(SirenePath));

        register.Server.Reset();
        Sirene(500);
        using ServiceProvider failing = register.Directory("Sirene", new Dictionary<string, string?> { ["Directory:MaxRetryAttempts"] = "0" });
        await LookupAsync(failing);
        await LookupAsync(failing);
        Assert.Equal(2, register.RequestCount(SirenePath));
    }

    [Fact]
    public async Task Identifiers_without_a_register_are_not_looked_up()
    {
        using ServiceProvider services = register.Directory("Sirene");

        DirectoryLookup lookup = await LookupAsync(services, new StructureIdentifier(IdentifierType.RIDET, "1234567", "NC"));

        Assert.Equal(DirectoryResult.NotFound, lookup.Result);
        Assert.Empty(register.Server.LogEntries);
    }

    // ---- recherche-entreprises

    void Search(string siret, int status, string? body = null, string? retryAfter = null)
    {
        IResponseBuilder response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json");
        if (body is not null)
        {
            response = response.WithBody(body);
        }

        if (retryAfter is not null)
        {
            response = response.WithHeader("Retry-After", retryAfter);
        }

        register.Server.Given(Request.Create().WithPath("/search").WithParam("q", siret).UsingGet()).RespondWith(response);
    }

    [Fact]
    public async Task Recherche_entreprises_prefills_a_head_office_from_its_detailed_fields()
    {
        Search(RegisterPayloads.Siret, 200, RegisterPayloads.Search(RegisterPayloads.Siret));
        using ServiceProvider services = register.Directory("RechercheEntreprises");

        DirectoryLookup lookup = await LookupAsync(services);

        Assert.Equal(DirectoryResult.Found, lookup.Result);
        StructureAddress prefill = lookup.Prefill!;
        Assert.Equal("ETS HORTICOLES GEORGES TRUFFAUT", prefill.CompanyName);
        Assert.Equal("TRUFFAUT", prefill.Label);
        Assert.Equal("8 RUE DES CHAMPS", prefill.Address);
        Assert.Equal("ZA DU BOIS", prefill.AddressComplement1);
        Assert.Equal("91100", prefill.PostalCode);
        Assert.Equal("CORBEIL-ESSONNES", prefill.City);
        Assert.Equal("FR", prefill.Country);
    }

    [Fact]
    public async Task Recherche_entreprises_prefills_a_secondary_establishment_from_its_address_line()
    {
        string secondary = TestSirets.Complete(RegisterPayloads.Siret[..9] + "0020");
        Search(secondary, 200, RegisterPayloads.Search(secondary));
        using ServiceProvider services = register.Directory("RechercheEntreprises");

        StructureAddress prefill = (await LookupAsync(services, new StructureIdentifier(IdentifierType.SIRET, secondary, "FR"))).Prefill!;

        Assert.Equal("12 AVENUE DU GENERAL LECLERC", prefill.Address);
        Assert.Equal("94000", prefill.PostalCode);
        Assert.Equal("CRETEIL", prefill.City);
        Assert.Equal("TRUFFAUT CRETEIL", prefill.Label);
    }

    [Fact]
    public async Task Recherche_entreprises_partly_diffusible_establishment_gives_no_street()
    {
        Search(RegisterPayloads.Siret, 200, RegisterPayloads.Search(RegisterPayloads.Siret, diffusionEtablissements: "P")
            .Replace("\"DES CHAMPS\"", "\"[NON-DIFFUSIBLE]\"", StringComparison.Ordinal));
        using ServiceProvider services = register.Directory("RechercheEntreprises");

        StructureAddress prefill = (await LookupAsync(services)).Prefill!;

        Assert.Equal("ETS HORTICOLES GEORGES TRUFFAUT", prefill.CompanyName);
        Assert.Null(prefill.Label);
        Assert.Null(prefill.Address);
        Assert.Null(prefill.AddressComplement1);
        Assert.Equal("91100", prefill.PostalCode);
        Assert.Equal("CORBEIL-ESSONNES", prefill.City);
    }

    [Fact]
    public async Task Recherche_entreprises_unknown_and_closed()
    {
        string closed = TestSirets.Complete(RegisterPayloads.Siret[..9] + "0030");
        string ceased = TestSirets.Complete("12345678");
        Search(RegisterPayloads.Siret, 200, RegisterPayloads.SearchEmpty);
        Search(closed, 200, RegisterPayloads.Search(closed, etatMatched: "F"));
        Search(ceased + "00011", 200, RegisterPayloads.Search(ceased + "00011", siegeSiret: ceased + "00011", etatUnite: "C"));
        using ServiceProvider services = register.Directory("RechercheEntreprises");

        Assert.Equal(DirectoryResult.NotFound, (await LookupAsync(services)).Result);
        Assert.Equal(DirectoryResult.Closed, (await LookupAsync(services, new StructureIdentifier(IdentifierType.SIRET, closed, "FR"))).Result);
        Assert.Equal(DirectoryResult.Closed, (await LookupAsync(services, new StructureIdentifier(IdentifierType.SIRET, ceased + "00011", "FR"))).Result);
    }

    [Fact]
    public async Task Recherche_entreprises_throttling_is_unavailable()
    {
        Search(RegisterPayloads.Siret, 429, retryAfter: "30");
        using ServiceProvider services = register.Directory("RechercheEntreprises");

        Assert.Equal(DirectoryResult.Unavailable, (await LookupAsync(services)).Result);
        Assert.Equal(DirectoryResult.Unavailable, (await LookupAsync(services)).Result);
        Assert.Equal(1, register.RequestCount("/search"));
    }

    [Fact]
    public void The_embedded_directory_is_the_default()
    {
        using ServiceProvider services = register.Directory("Embedded");
        Assert.IsType<EmbeddedStructureDirectory>(services.GetRequiredService<IStructureDirectory>());
    }

    [Fact]
    public void The_sirene_provider_needs_its_key_at_start_up()
    {
        using ServiceProvider services = register.Directory("Sirene", new Dictionary<string, string?> { ["Directory:Sirene:ApiKey"] = null });
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DirectoryOptions>>().Value);
    }
}
