using System.Net;
using System.Net.Sockets;
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
}
