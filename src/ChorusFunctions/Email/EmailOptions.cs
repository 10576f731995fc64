namespace ChorusFunctions.Email;

public enum EmailProvider
{
    Smtp,
    AzureCommunicationServices,
}

/// <summary>Settings <c>Email__*</c> (README); the provider's are checked at start-up, else a bad sender fails only at the first signup.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    public EmailProvider Provider { get; set; } = EmailProvider.Smtp;

    [Required, EmailAddress]
    public string SenderAddress { get; set; } = "ne-pas-repondre@chorusfunctions.localhost";

    public string SenderName { get; set; } = "ChorusFunctions";

    /// <summary>Where replies go (optional); without it, replies go to the sender address.</summary>
    [EmailAddress]
    public string? ReplyTo { get; set; }

    /// <summary>The front end's activation page; the token is appended as <c>?token=</c>.</summary>
    [Required, Url]
    public string ActivationUrlBase { get; set; } = "http://localhost:7071/activation";

    [Required, Url]
    public string PortalUrl { get; set; } = "http://localhost:7071/";

    public SmtpOptions Smtp { get; set; } = new();

    public AcsOptions Acs { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        IEnumerable<string> failures = Provider switch
        {
            EmailProvider.Smtp when string.IsNullOrWhiteSpace(Smtp.Host) => ["Email__Provider is Smtp but Email__Smtp__Host is empty: set the SMTP server's host name."],
            EmailProvider.Smtp => [],
            EmailProvider.AzureCommunicationServices => Acs.Failures(),
            _ => ["Email__Provider must be Smtp or AzureCommunicationServices."],
        };
        return failures.Select(failure => new ValidationResult(failure));
    }
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 2525;

    /// <summary>Use STARTTLS (required by real relays; smtp4dev does without).</summary>
    public bool UseStartTls { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }
}

/// <summary>Settings <c>Email__Acs__*</c>, read only when <c>Email__Provider</c> is <c>AzureCommunicationServices</c>.</summary>
public sealed class AcsOptions
{
    /// <summary>The Communication Services resource, e.g. <c>https://contoso.france.communication.azure.com</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The resource's access key (HMAC-SHA256). Without it, the managed identity (Entra ID) signs in.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Client id of a user-assigned managed identity; without it, the identity the storage uses.</summary>
    public string? ClientId { get; set; }

    /// <summary>Attempts at one request answered 429 or 503 before the send fails (retryably) to the orchestration.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The longest wait honoured from a <c>Retry-After</c>; a longer one is cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to follow a send until the service says Succeeded; past it the activity fails (retryably).</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMinutes(2);

    internal IEnumerable<string> Failures() => new (bool Fails, string Message)[]
    {
        (string.IsNullOrWhiteSpace(Endpoint), "Email__Provider is AzureCommunicationServices but Email__Acs__Endpoint is not set: " +
            "set it to the resource endpoint, e.g. https://<resource>.communication.azure.com."),
        // Plain http only to a loopback address (a local fake): a signed request must not cross a network in clear.
        (!string.IsNullOrWhiteSpace(Endpoint) && !(Uri.TryCreate(Endpoint, UriKind.Absolute, out Uri? endpoint)
            && (endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback))),
            $"Email__Acs__Endpoint must be an absolute https URL (e.g. https://<resource>.communication.azure.com), not '{Endpoint}'."),
        (!string.IsNullOrEmpty(AccessKey) && !(Convert.TryFromBase64String(AccessKey, new byte[AccessKey.Length], out int written) && written > 0),
            "Email__Acs__AccessKey must be the resource's access key as shown in the portal (base64); leave it unset to use the managed identity."),
        (MaxAttempts is < 1 or > 10, "Email__Acs__MaxAttempts must be between 1 and 10."),
        (MaxRetryAfter <= TimeSpan.Zero || MaxRetryAfter > TimeSpan.FromMinutes(10), "Email__Acs__MaxRetryAfter must be more than zero and at most 00:10:00."),
        (PollTimeout <= TimeSpan.Zero || PollTimeout > TimeSpan.FromMinutes(10),
            "Email__Acs__PollTimeout must be more than zero and at most 00:10:00 (an activity should not run for long)."),
    }.Where(rule => rule.Fails).Select(rule => rule.Message);
}
