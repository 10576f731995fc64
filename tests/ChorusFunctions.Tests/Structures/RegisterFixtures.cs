using System.Net;
using System.Net.Sockets;
using ChorusFunctions.Structures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;
using WireMock.Settings;

namespace ChorusFunctions.Tests.Structures;

/// <summary>A fake register on 127.0.0.1 and the app's directory wired to it exactly as in production.</summary>
public sealed class FakeRegister : IDisposable
{
    FakeRegister(WireMockServer server) => Server = server;

    public WireMockServer Server { get; }

    public string Url => Server.Urls[0];

    public static FakeRegister Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new FakeRegister(WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] }));
    }

    public int RequestCount(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);

    /// <summary>The app's <see cref="IStructureDirectory"/> for <paramref name="provider"/>, pointed at this server.</summary>
    public ServiceProvider Directory(string provider, IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Directory:Provider"] = provider,
            ["Directory:Sirene:BaseUrl"] = Url + "/api-sirene/3.11",
            ["Directory:Sirene:ApiKey"] = "test-key",
            ["Directory:RechercheEntreprises:BaseUrl"] = Url,
            ["Directory:Timeout"] = "00:00:05",
            ["Directory:AttemptTimeout"] = "00:00:02",
        };
        foreach ((string key, string? value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddStructureDirectory(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public void Dispose() => Server.Stop();
}

/// <summary>Response bodies shaped like each API's documented JSON.</summary>
public static class RegisterPayloads
{
    public const string Siret = "44942603000135";

    /// <summary>Sirene 3.11 <c>GET /siret/{siret}</c>, 200.</summary>
    public static string SireneEtablissement(
        string siret = Siret,
        string etatEtablissement = "A",
        string etatUnite = "A",
        string? denomination = "\"ETS HORTICOLES GEORGES TRUFFAUT\"",
        string nom = "null",
        string prenom = "null",
        string numeroVoie = "\"8\"",
        string typeVoie = "\"RUE\"",
        string libelleVoie = "\"DES CHAMPS\"",
        string complement = "\"ZA DU BOIS\"",
        string codePostal = "\"91100\"",
        string commune = "\"CORBEIL-ESSONNES\"",
        string statutDiffusion = "O",
        string enseigne = "\"TRUFFAUT\"",
        string paysEtranger = "null") => $$"""
        {
          "header": { "statut": 200, "message": "ok" },
          "etablissement": {
            "siren": "{{siret[..9]}}",
            "nic": "{{siret[9..]}}",
            "siret": "{{siret}}",
            "statutDiffusionEtablissement": "{{statutDiffusion}}",
            "dateCreationEtablissement": "2003-06-01",
            "trancheEffectifsEtablissement": "12",
            "etablissementSiege": true,
            "nombrePeriodesEtablissement": 2,
            "uniteLegale": {
              "etatAdministratifUniteLegale": "{{etatUnite}}",
              "statutDiffusionUniteLegale": "{{statutDiffusion}}",
              "dateCreationUniteLegale": "2003-06-01",
              "categorieJuridiqueUniteLegale": "5710",
              "denominationUniteLegale": {{denomination ?? "null"}},
              "sigleUniteLegale": null,
              "denominationUsuelle1UniteLegale": null,
              "sexeUniteLegale": null,
              "nomUniteLegale": {{nom}},
              "nomUsageUniteLegale": null,
              "prenom1UniteLegale": {{prenom}},
              "prenomUsuelUniteLegale": {{prenom}},
              "activitePrincipaleUniteLegale": "47.76Z",
              "nicSiegeUniteLegale": "{{siret[9..]}}"
            },
            "adresseEtablissement": {
              "complementAdresseEtablissement": {{complement}},
              "numeroVoieEtablissement": {{numeroVoie}},
              "indiceRepetitionEtablissement": null,
              "dernierNumeroVoieEtablissement": null,
              "indiceRepetitionDernierNumeroVoieEtablissement": null,
              "typeVoieEtablissement": {{typeVoie}},
              "libelleVoieEtablissement": {{libelleVoie}},
              "codePostalEtablissement": {{codePostal}},
              "libelleCommuneEtablissement": {{commune}},
              "libelleCommuneEtrangerEtablissement": null,
              "distributionSpecialeEtablissement": null,
              "codeCommuneEtablissement": "91174",
              "codeCedexEtablissement": null,
              "libelleCedexEtablissement": null,
              "codePaysEtrangerEtablissement": {{paysEtranger}},
              "libellePaysEtrangerEtablissement": null,
              "identifiantAdresseEtablissement": null,
              "coordonneeLambertAbscisseEtablissement": "[ND]",
              "coordonneeLambertOrdonneeEtablissement": "[ND]"
            },
            "adresse2Etablissement": { "complementAdresse2Etablissement": null, "numeroVoie2Etablissement": null },
            "periodesEtablissement": [
              {
                "dateFin": null,
                "dateDebut": "2019-01-01",
                "etatAdministratifEtablissement": "{{etatEtablissement}}",
                "changementEtatAdministratifEtablissement": false,
                "enseigne1Etablissement": {{enseigne}},
                "enseigne2Etablissement": null,
                "enseigne3Etablissement": null,
                "changementEnseigneEtablissement": false,
                "denominationUsuelleEtablissement": null,
                "activitePrincipaleEtablissement": "47.76Z",
                "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
                "caractereEmployeurEtablissement": "O"
              },
              {
                "dateFin": "2018-12-31",
                "dateDebut": "2003-06-01",
                "etatAdministratifEtablissement": "A",
                "enseigne1Etablissement": "ANCIENNE ENSEIGNE"
              }
            ]
          }
        }
        """;

    public const string SireneNotFound = """{ "header": { "statut": 404, "message": "Aucun élément trouvé pour le siret 44942603000135" } }""";

    public const string SireneNotDiffusible = """{ "header": { "statut": 403, "message": "Unité légale non diffusable" } }""";

    /// <summary>recherche-entreprises <c>GET /search?q=</c>, 200, one legal unit with its head office and the matched establishment.</summary>
    public static string Search(string matchedSiret, string siegeSiret = Siret, string etatUnite = "A", string etatMatched = "A", string diffusionEtablissements = "O") => $$"""
        {
          "results": [
            {
              "siren": "{{siegeSiret[..9]}}",
              "nom_complet": "ETS HORTICOLES GEORGES TRUFFAUT (TRUFFAUT)",
              "nom_raison_sociale": "ETS HORTICOLES GEORGES TRUFFAUT",
              "sigle": null,
              "nombre_etablissements": 3,
              "nombre_etablissements_ouverts": 2,
              "siege": {
                "activite_principale": "47.76Z",
                "adresse": "ZA DU BOIS 8 RUE DES CHAMPS 91100 CORBEIL-ESSONNES",
                "cedex": null,
                "code_pays_etranger": null,
                "code_postal": "91100",
                "commune": "91174",
                "complement_adresse": "ZA DU BOIS",
                "date_creation": "2003-06-01",
                "distribution_speciale": null,
                "est_siege": true,
                "etat_administratif": "{{(matchedSiret == siegeSiret ? etatMatched : "A")}}",
                "indice_repetition": null,
                "libelle_commune": "CORBEIL-ESSONNES",
                "libelle_voie": "DES CHAMPS",
                "liste_enseignes": ["TRUFFAUT"],
                "nom_commercial": null,
                "numero_voie": "8",
                "siret": "{{siegeSiret}}",
                "statut_diffusion_etablissement": "{{diffusionEtablissements}}",
                "type_voie": "RUE"
              },
              "activite_principale": "47.76Z",
              "categorie_entreprise": "PME",
              "date_creation": "2003-06-01",
              "etat_administratif": "{{etatUnite}}",
              "nature_juridique": "5710",
              "statut_diffusion": "O",
              "matching_etablissements": [
                {
                  "activite_principale": "47.76Z",
                  "adresse": "{{(matchedSiret == siegeSiret ? "ZA DU BOIS 8 RUE DES CHAMPS 91100 CORBEIL-ESSONNES" : "12 AVENUE DU GENERAL LECLERC 94000 CRETEIL")}}",
                  "code_postal": "{{(matchedSiret == siegeSiret ? "91100" : "94000")}}",
                  "commune": "94028",
                  "est_siege": {{(matchedSiret == siegeSiret ? "true" : "false")}},
                  "etat_administratif": "{{etatMatched}}",
                  "libelle_commune": "{{(matchedSiret == siegeSiret ? "CORBEIL-ESSONNES" : "CRETEIL")}}",
                  "liste_enseignes": ["TRUFFAUT CRETEIL"],
                  "nom_commercial": null,
                  "siret": "{{matchedSiret}}",
                  "statut_diffusion_etablissement": "{{diffusionEtablissements}}"
                }
              ],
              "tva": ["FR03449426030"]
            }
          ],
          "total_results": 1,
          "page": 1,
          "per_page": 10,
          "total_pages": 1
        }
        """;

    public const string SearchEmpty = """{ "results": [], "total_results": 0, "page": 1, "per_page": 10, "total_pages": 0 }""";
}
