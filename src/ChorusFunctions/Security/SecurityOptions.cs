namespace ChorusFunctions.Security;

/// <summary>Settings <c>Security__*</c>: the keys, how the client address is found, and enumeration protection.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Base64 of at least 32 random bytes; activation tokens are derived from it (Key Vault in Azure).</summary>
    [Base64Key(Required = true)]
    public string TokenKey { get; set; } = "";

    /// <summary>Keys the audit trail's and counters' pseudonyms; absent, derived from <see cref="TokenKey"/> (HKDF): one secret is enough.</summary>
    [Base64Key]
    public string? AuditKey { get; set; }

    /// <summary>
    /// A header that a trusted proxy sets to the address it saw (for example <c>X-Azure-SocketIP</c> behind Front Door),
    /// read instead of the connection. Empty: the connection's address, which the worker's forwarded-headers step has
    /// already set to the right-most <c>X-Forwarded-For</c> entry the Functions host sent.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9-]{1,64}$", ErrorMessage = "Security__ClientAddressHeader must be a header name (letters, digits, dashes).")]
    public string? ClientAddressHeader { get; set; }

    /// <summary>Trusted proxies skipped from the right of the chain: the header's entries, or <c>X-Forwarded-For</c>'s then the connection.</summary>
    [Range(0, 10)]
    public int TrustedHops { get; set; }

    /// <summary>
    /// True: an email already taken is answered like a fresh one, and its owner is told by email instead of sent a link.
    /// False: steps 1 and 2 answer <c>409 email_taken</c>, for operators who prefer a clear refusal to a silent one.
    /// </summary>
    public bool EnumerationProtection { get; set; } = true;

    public static bool IsValidKey(string? key)
    {
        Span<byte> buffer = stackalloc byte[256];
        return !string.IsNullOrWhiteSpace(key) && Convert.TryFromBase64String(key, buffer, out int written) && written >= 32;
    }
}

/// <summary>A key setting, when set (always, if <see cref="Required"/>), must be the base64 of at least 32 random bytes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class Base64KeyAttribute : ValidationAttribute
{
    public bool Required { get; init; }

    public override bool IsValid(object? value) => SecurityOptions.IsValidKey(value as string) || (!Required && string.IsNullOrWhiteSpace(value as string));

    public override string FormatErrorMessage(string name) => $"Security__{name} must be the base64 of at least 32 random bytes.";
}
