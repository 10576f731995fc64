using System.Net;

namespace ChorusFunctions.Structures;

/// <summary>
/// INSEE's Sirene API 3.11: <c>GET {base}/siret/{siret}</c> with the <c>X-INSEE-Api-Key-Integration</c> header.
/// 200 → the establishment (<c>etablissement</c>: <c>uniteLegale</c>, <c>adresseEtablissement</c>,
/// <c>periodesEtablissement[0]</c> = the current period); 404 → unknown; 403 → not diffusible; 429 → throttled.
/// Partly diffusible units answer 200 with <c>[ND]</c> in masked fields, which are left for the user to type; a
/// partly diffusible establishment or unit (<c>statutDiffusion…</c> <c>P</c>) gives no more than INSEE publishes for
/// it (the commune and postal code; the denomination of a legal person), even where a field is not masked.
/// </summary>
public sealed class SireneDirectory(IHttpClientFactory clients, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<SireneDirectory> logger)
    : HttpStructureDirectory(clients, ClientName, "Sirene", time, logger)
{
    public const string ClientName = "Directory.Sirene";
    public const string ApiKeyHeader = "X-INSEE-Api-Key-Integration";

    protected override HttpRequestMessage CreateRequest(string siret) =>
        new(HttpMethod.Get, new Uri($"{options.Value.Sirene.BaseUrl.TrimEnd('/')}/siret/{siret}")) { Headers = { { ApiKeyHeader, options.Value.Sirene.ApiKey } } };

    protected override DirectoryLookup StatusLookup(HttpStatusCode status) =>
        status == HttpStatusCode.Forbidden ? DirectoryLookup.NotDiffusible : base.StatusLookup(status);

    protected override bool IsMisconfiguration(HttpStatusCode status) => status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized;

    protected override DirectoryLookup Map(string siret, JsonElement payload)
    {
        JsonElement etablissement = payload.Child("etablissement");
        if (etablissement.ValueKind != JsonValueKind.Object)
        {
            return DirectoryLookup.Unavailable;
        }

        JsonElement unit = etablissement.Child("uniteLegale");
        JsonElement address = etablissement.Child("adresseEtablissement");
        JsonElement period = etablissement.Items("periodesEtablissement").FirstOrDefault();

        if (period.Text("etatAdministratifEtablissement") == "F" || unit.Text("etatAdministratifUniteLegale") == "C")
        {
            return DirectoryLookup.Closed;
        }

        if (unit.Text("statutDiffusionUniteLegale") == "N" || etablissement.Text("statutDiffusionEtablissement") == "N")
        {
            return DirectoryLookup.NotDiffusible;
        }

        bool unitPublic = unit.Text("statutDiffusionUniteLegale") != "P";
        bool establishmentPublic = etablissement.Text("statutDiffusionEtablissement") != "P";
        string? companyName = unit.Text("denominationUniteLegale") ?? (unitPublic ? PersonName(unit) : null);
        string? label = (establishmentPublic ? period.Text("enseigne1Etablissement") ?? period.Text("denominationUsuelleEtablissement") : null)
            ?? (unitPublic ? unit.Text("denominationUsuelle1UniteLegale") ?? unit.Text("sigleUniteLegale") : null);

        string? fullStreet = RegisterJson.Join(address, ["numeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement"],
            (part, text) => part == "typeVoieEtablissement" ? StreetTypes.GetValueOrDefault(text, text) : text);
        bool abroad = address.Text("codePaysEtrangerEtablissement") is not null;

        return new DirectoryLookup(DirectoryResult.Found, StructureAddress.Empty with
        {
            CompanyName = companyName,
            Label = label,
            Address = establishmentPublic ? fullStreet : null,
            AddressComplement1 = establishmentPublic ? address.Text("complementAdresseEtablissement") : null,
            AddressComplement2 = establishmentPublic ? address.Text("distributionSpecialeEtablissement") : null,
            PostalCode = address.Text("codePostalEtablissement"),
            City = address.Text("libelleCommuneEtablissement") ?? address.Text("libelleCommuneEtrangerEtablissement"),
            // Foreign addresses carry an INSEE country code, not ISO: the user picks the country.
            Country = abroad ? null : "FR",
        });
    }

    /// <summary>A sole trader's name: usual first name (or first given name) and usual name (or birth name).</summary>
    static string? PersonName(JsonElement unit)
    {
        string? last = unit.Text("nomUsageUniteLegale") ?? unit.Text("nomUniteLegale");
        if (last is null || unit.IsMasked("nomUniteLegale"))
        {
            return null;
        }

        string? first = unit.Text("prenomUsuelUniteLegale") ?? unit.Text("prenom1UniteLegale");
        return first is null ? last : $"{first} {last}";
    }

    /// <summary>Sirene's street type codes, spelt out for the address line.</summary>
    static readonly FrozenDictionary<string, string> StreetTypes = new Dictionary<string, string>
    {
        ["ALL"] = "ALLEE", ["AV"] = "AVENUE", ["BD"] = "BOULEVARD", ["CAR"] = "CARREFOUR", ["CHE"] = "CHEMIN", ["CHS"] = "CHAUSSEE",
        ["CITE"] = "CITE", ["COR"] = "CORNICHE", ["CRS"] = "COURS", ["DOM"] = "DOMAINE", ["DSC"] = "DESCENTE", ["ECA"] = "ECART",
        ["ESP"] = "ESPLANADE", ["FG"] = "FAUBOURG", ["GR"] = "GRANDE RUE", ["HAM"] = "HAMEAU", ["HLE"] = "HALLE", ["IMP"] = "IMPASSE",
        ["LD"] = "LIEU-DIT", ["LOT"] = "LOTISSEMENT", ["MAR"] = "MARCHE", ["MTE"] = "MONTEE", ["PAS"] = "PASSAGE", ["PL"] = "PLACE",
        ["PLN"] = "PLAINE", ["PLT"] = "PLATEAU", ["PRO"] = "PROMENADE", ["PRV"] = "PARVIS", ["QUA"] = "QUARTIER", ["QUAI"] = "QUAI",
        ["RES"] = "RESIDENCE", ["RLE"] = "RUELLE", ["ROC"] = "ROCADE", ["RPT"] = "ROND-POINT", ["RTE"] = "ROUTE", ["RUE"] = "RUE",
        ["SEN"] = "SENTIER", ["SQ"] = "SQUARE", ["TPL"] = "TERRE-PLEIN", ["TRA"] = "TRAVERSE", ["VLA"] = "VILLA", ["VLGE"] = "VILLAGE",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
