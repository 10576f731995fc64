namespace ChorusFunctions.Structures;

public enum DirectoryProvider
{
    /// <summary>The small offline register shipped with the app (default: works without network or key).</summary>
    Embedded,
    /// <summary>INSEE's Sirene API 3.11 (needs an API key).</summary>
    Sirene,
    /// <summary>recherche-entreprises.api.gouv.fr (no key; non-diffusible companies are absent).</summary>
    RechercheEntreprises,
}

/// <summary>Settings <c>Directory__*</c>: which company register prefills step 2, and how hard to try.</summary>
public sealed class DirectoryOptions : IValidatableObject
{
    public const string Section = "Directory";

    public DirectoryProvider Provider { get; set; } = DirectoryProvider.Embedded;

    /// <summary>How long an answer of the register (found, unknown, closed) is reused. Failures are never cached.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Everything one lookup may take, retries included; then the user types the fields.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>One HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Retries after a transient failure (5xx, 408, 429, network, attempt timeout), with jittered backoff.</summary>
    [Range(0, 5)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>A 429 asking to wait longer is not retried (the user is not kept waiting): nothing is sent until it has passed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    public SireneOptions Sirene { get; set; } = new();

    public RechercheEntreprisesOptions RechercheEntreprises { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Provider switch
    {
        DirectoryProvider.Sirene => Uri.TryCreate(Sirene.BaseUrl, UriKind.Absolute, out _) && !string.IsNullOrWhiteSpace(Sirene.ApiKey),
        DirectoryProvider.RechercheEntreprises => Uri.TryCreate(RechercheEntreprises.BaseUrl, UriKind.Absolute, out _),
        _ => Enum.IsDefined(Provider),
    }
        ? []
        : [new ValidationResult(
            "Directory__Provider=Sirene needs Directory__Sirene__ApiKey (and an absolute Directory__Sirene__BaseUrl); " +
            "RechercheEntreprises needs an absolute Directory__RechercheEntreprises__BaseUrl.")];
}

public sealed class SireneOptions
{
    public string BaseUrl { get; set; } = "https://api.insee.fr/api-sirene/3.11";

    /// <summary>Sent as <c>X-INSEE-Api-Key-Integration</c>; from Key Vault in Azure.</summary>
    public string? ApiKey { get; set; }
}

public sealed class RechercheEntreprisesOptions
{
    public string BaseUrl { get; set; } = "https://recherche-entreprises.api.gouv.fr";
}
