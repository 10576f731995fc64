namespace ChorusFunctions.Structures;

/// <summary>
/// recherche-entreprises.api.gouv.fr: <c>GET {base}/search?q={siret}</c>, no key. A 14-digit query is a direct
/// SIRET search: each result (a legal unit) lists the establishment in <c>matching_etablissements</c>, and its
/// head office in <c>siege</c> with the detailed address fields. A partly diffusible company or establishment
/// (<c>statut_diffusion</c> <c>P</c>) gives only its commune and postal code, and a legal person's name.
/// </summary>
public sealed class RechercheEntreprisesDirectory(IHttpClientFactory clients, IOptions<DirectoryOptions> options, TimeProvider time, ILogger<RechercheEntreprisesDirectory> logger)
    : HttpStructureDirectory(clients, ClientName, "RechercheEntreprises", time, logger)
{
    public const string ClientName = "Directory.RechercheEntreprises";

    protected override HttpRequestMessage CreateRequest(string siret) =>
        new(HttpMethod.Get, new Uri($"{options.Value.RechercheEntreprises.BaseUrl.TrimEnd('/')}/search?q={siret}"));

    protected override DirectoryLookup Map(string siret, JsonElement payload)
    {
        foreach (JsonElement result in payload.Items("results"))
        {
            JsonElement siege = result.Child("siege");
            bool isSiege = siege.Text("siret") == siret;
            JsonElement establishment = isSiege
                ? siege
                : result.Items("matching_etablissements").FirstOrDefault(e => e.Text("siret") == siret);
            if (establishment.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (establishment.Text("etat_administratif") == "F" || result.Text("etat_administratif") == "C")
            {
                return DirectoryLookup.Closed;
            }

            bool companyPublic = result.Text("statut_diffusion") != "P";
            bool establishmentPublic = companyPublic && establishment.Text("statut_diffusion_etablissement") != "P";
            string? label = establishmentPublic
                ? establishment.Text("nom_commercial")
                    ?? establishment.Items("liste_enseignes").Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).FirstOrDefault(e => !string.IsNullOrWhiteSpace(e) && !RegisterJson.IsMaskedValue(e))
                    ?? result.Text("sigle")
                : null;
            string? postalCode = establishment.Text("code_postal");
            string? city = establishment.Text("libelle_commune");
            bool abroad = establishment.Text("code_pays_etranger") is not null;

            return new DirectoryLookup(DirectoryResult.Found, StructureAddress.Empty with
            {
                // A sole trader's name (nom_complet) is theirs to publish.
                CompanyName = result.Text("nom_raison_sociale") ?? (companyPublic ? result.Text("nom_complet") : null),
                Label = label,
                Address = !establishmentPublic ? null : isSiege
                    ? RegisterJson.Join(establishment, ["numero_voie", "indice_repetition", "type_voie", "libelle_voie"])
                    : StreetOf(establishment.Text("adresse"), postalCode, city),
                AddressComplement1 = isSiege && establishmentPublic ? establishment.Text("complement_adresse") : null,
                AddressComplement2 = isSiege && establishmentPublic ? establishment.Text("distribution_speciale") : null,
                PostalCode = postalCode,
                City = city,
                Country = abroad ? null : "FR",
            });
        }

        return DirectoryLookup.NotFound;
    }

    /// <summary>
    /// A secondary establishment only has the one-line <c>adresse</c> ("12 RUE X 75001 PARIS"): the street is what
    /// precedes the postal code and city.
    /// </summary>
    static string? StreetOf(string? line, string? postalCode, string? city) =>
        line is null || line.Contains(RegisterJson.Masked, StringComparison.Ordinal) || line.Contains(RegisterJson.NonDiffusible, StringComparison.Ordinal) ? null
        : postalCode is not null && line.LastIndexOf($" {postalCode} ", StringComparison.Ordinal) is var at and > 0 ? line[..at].Trim()
        : city is not null && line.EndsWith(" " + city, StringComparison.Ordinal) ? line[..^(city.Length + 1)].Trim()
        : line;
}
