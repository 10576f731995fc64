namespace ChorusFunctions.Workspaces;

/// <summary>An espace de travail of the portal, as listed in the guide's step 3.</summary>
public sealed record Workspace(string Code, string Label, string Description, bool EnabledByDefault);

public static class WorkspaceCatalog
{
    public static IReadOnlyList<Workspace> All { get; } =
    [
        new("DEMANDE_REMBOURSEMENT_TIC", "Demande de remboursement TIC", "Réservé au dépôt des demandes de remboursement TIC", false),
        new("ENGAGEMENTS", "Engagements", "Visualisation des commandes de l'Etat", false),
        new("FACTURES_A_VALIDER", "Factures à valider", "Réservé à la validation des sous-traitants et cotraitants", false),
        new("FACTURES_TRAVAUX", "Factures de travaux", "Réservé au dépôt de factures de travaux (fournisseurs, MOE, MOA)", false),
        new("FACTURES_EMISES", "Factures émises", "Réservé au dépôt et à la visualisation des factures émises à destination des clients publics", true),
        new("MEMOIRES_FRAIS_JUSTICE", "Mémoires de frais de justice", "Réservé au dépôt de mémoires de frais de justice", false),
        new("RACCORDEMENT_EDI_API", "Raccordement EDI et API", "Permet de demander et de suivre le raccordement de vos structures pour l'utilisation des modes EDI et API", false),
        new("SOLLICITATIONS_EMISES", "Sollicitations émises", "Echanges avec ses clients ou partenaires", true),
        new("SUIVI_FLUX", "Suivi des flux", "Réservé aux structures raccordées émettant des flux EDI", false),
    ];

    public static bool IsKnown(string code) => All.Any(w => w.Code == code);
}
