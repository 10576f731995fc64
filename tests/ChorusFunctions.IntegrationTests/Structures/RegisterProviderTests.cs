using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChorusFunctions.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ChorusFunctions.IntegrationTests.Structures;

/// <summary>
/// The local host with <c>Directory__Provider=Sirene</c> pointed at a fake Sirene on 127.0.0.1: step 1 prefills from
/// it, and a throttled or failing register never blocks a signup.
/// </summary>
public sealed class RegisterProviderTests : IAsyncLifetime
{
    WireMockServer sirene = null!;
    LocalStack stack = null!;

    public async Task InitializeAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        sirene = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
        stack = await LocalStack.StartAsync(new Dictionary<string, string?>
        {
            ["Directory:Provider"] = "Sirene",
            ["Directory:Sirene:BaseUrl"] = $"http://127.0.0.1:{port}/api-sirene/3.11",
            ["Directory:Sirene:ApiKey"] = "integration-key",
            ["Directory:MaxRetryAttempts"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        sirene.Stop();
    }

    [Fact]
    public async Task Step_one_prefills_from_sirene_and_goes_on_without_it()
    {
        string found = Sirets.NewValid();
        string throttled = Sirets.NewValid();
        string unknown = Sirets.NewValid();
        sirene.Given(Request.Create().WithPath($"/api-sirene/3.11/siret/{found}").WithHeader("X-INSEE-Api-Key-Integration", "integration-key"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""
                { "header": { "statut": 200, "message": "ok" },
                  "etablissement": { "siret": "{{found}}",
                    "uniteLegale": { "etatAdministratifUniteLegale": "A", "denominationUniteLegale": "MENUISERIE DU LAC" },
                    "adresseEtablissement": { "numeroVoieEtablissement": "4", "typeVoieEtablissement": "CHE", "libelleVoieEtablissement": "DU LAC",
                      "codePostalEtablissement": "74000", "libelleCommuneEtablissement": "ANNECY" },
                    "periodesEtablissement": [ { "dateFin": null, "etatAdministratifEtablissement": "A", "enseigne1Etablissement": null } ] } }
                """));
        sirene.Given(Request.Create().WithPath($"/api-sirene/3.11/siret/{throttled}"))
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "60"));
        sirene.Given(Request.Create().WithPath($"/api-sirene/3.11/siret/{unknown}"))
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("""{ "header": { "statut": 404, "message": "Aucun élément trouvé" } }"""));
        var api = new ApiClient(stack);

        ApiClient.Response prefilled = await api.StartAsync(Sirets.NewEmail("sirene"), found);
        Assert.Equal(HttpStatusCode.Created, prefilled.Status);
        Assert.Equal("MENUISERIE DU LAC", prefilled.Body!["structure"]!["companyName"]!.GetValue<string>());
        Assert.Equal("4 CHEMIN DU LAC", prefilled.Body!["structure"]!["address"]!.GetValue<string>());
        Assert.True(prefilled.Body!["structure"]!["prefilled"]!.GetValue<bool>());

        foreach (string siret in new[] { throttled, unknown })
        {
            ApiClient.Response typed = await api.StartAsync(Sirets.NewEmail("sirene"), siret);
            Assert.Equal(HttpStatusCode.Created, typed.Status);
            Assert.False(typed.Body!["structure"]!["prefilled"]!.GetValue<bool>());
        }

        ApiClient.Response lookup = await api.SendAsync(HttpMethod.Get, $"api/structures/SIRET/{Sirets.NewValid()}");
        Assert.Equal("Unavailable", lookup.Text("register"));
        Assert.True(lookup.Body!["valid"]!.GetValue<bool>());
    }

    void SireneAnswers(string siret, string diffusion, string denomination)
    {
        sirene.Given(Request.Create().WithPath($"/api-sirene/3.11/siret/{siret}").WithHeader("X-INSEE-Api-Key-Integration", "integration-key"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody($$"""
                { "header": { "statut": 200, "message": "ok" },
                  "etablissement": { "siret": "{{siret}}", "statutDiffusionEtablissement": "{{diffusion}}",
                    "uniteLegale": { "etatAdministratifUniteLegale": "A", "statutDiffusionUniteLegale": "O", "denominationUniteLegale": "{{denomination}}" },
                    "adresseEtablissement": { "numeroVoieEtablissement": "4", "typeVoieEtablissement": "CHE", "libelleVoieEtablissement": "DU LAC",
                      "codePostalEtablissement": "74000", "libelleCommuneEtablissement": "ANNECY" },
                    "periodesEtablissement": [ { "dateFin": null, "etatAdministratifEtablissement": "A", "enseigne1Etablissement": "LE LAC" } ] } }
                """));
    }

    /// <summary>Steps 1 to 4 over HTTP; the first user types the Truffaut fields of <see cref="ApiClient.DetailsAsync"/>.</summary>
    async Task SignUpAndActivateAsync(ApiClient api, string email, string siret)
    {
        ApiClient.Response started = await api.StartAsync(email, siret);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        string signupId = started.Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        Mailbox.Message activation = await stack.WaitForEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(activation))).Status);
        await api.WaitForRoleAsync(signupId);
    }

    [Fact]
    public async Task An_existing_structure_is_shown_as_the_register_says_never_as_its_first_user_typed_it()
    {
        string open = Sirets.NewValid();
        string partly = Sirets.NewValid();
        SireneAnswers(open, diffusion: "O", denomination: "MENUISERIE DU LAC");
        SireneAnswers(partly, diffusion: "P", denomination: "SCIERIE DU LAC");
        var api = new ApiClient(stack);
        await SignUpAndActivateAsync(api, Sirets.NewEmail("first"), open);
        await SignUpAndActivateAsync(api, Sirets.NewEmail("first"), partly);

        ApiClient.Response lookup = await api.SendAsync(HttpMethod.Get, $"api/structures/SIRET/{open}");
        Assert.True(lookup.Body!["exists"]!.GetValue<bool>());
        Assert.Equal("Found", lookup.Text("register"));
        Assert.Equal("MENUISERIE DU LAC", lookup.Body["prefill"]!["companyName"]!.GetValue<string>());
        Assert.Equal("4 CHEMIN DU LAC", lookup.Body["prefill"]!["address"]!.GetValue<string>());
        Assert.DoesNotContain("TRUFFAUT", lookup.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        ApiClient.Response joining = await api.StartAsync(Sirets.NewEmail("second"), open);
        Assert.True(joining.Body!["structure"]!["exists"]!.GetValue<bool>());
        Assert.Equal("MENUISERIE DU LAC", joining.Body["structure"]!["companyName"]!.GetValue<string>());
        Assert.DoesNotContain("TRUFFAUT", joining.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // A partly diffusible establishment: its name (a legal person's), commune and postal code, nothing finer.
        foreach (JsonNode? shown in new[]
        {
            (await api.SendAsync(HttpMethod.Get, $"api/structures/SIRET/{partly}")).Body!["prefill"],
            (await api.StartAsync(Sirets.NewEmail("second"), partly)).Body!["structure"],
        })
        {
            Assert.Equal("SCIERIE DU LAC", shown!["companyName"]!.GetValue<string>());
            Assert.Null(shown["address"]);
            Assert.Null(shown["label"]);
            Assert.Equal("74000", shown["postalCode"]!.GetValue<string>());
            Assert.DoesNotContain("TRUFFAUT", shown.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
