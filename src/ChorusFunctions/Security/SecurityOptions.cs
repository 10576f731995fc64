namespace ChorusFunctions.Security;

/// <summary>Settings <c>Security__*</c>: the keys, how the client address is found, and enumeration protection.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Base64 of at least 32 random bytes; activation tokens are derived from it (Key Vault in Azure).</summary>
    [Base64Key(Required = true)]
    public string TokenKey { get; set; } = "";

    /// <summary>
    /// Base64 of at least 32 random bytes: keys the pseudonyms kept by the audit trail and the rate-limit counters.
    /// When absent it is derived from <see cref="TokenKey"/> (HKDF, its own label), so one secret is enough to run.
    /// </summary>
    [Base64Key]
    public string? AuditKey { get; set; }

    /// <summary>
    /// A header that a trusted proxy sets to the address it saw (for example <c>X-Azure-SocketIP</c> behind Front Door),
    /// read instead of the connection. Empty: the connection's address, which the worker's forwarded-headers step has
    /// already set to the right-most <c>X-Forwarded-For</c> entry the Functions host sent.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9-]{1,64}$", ErrorMessage = "Security__ClientAddressHeader must be a header name (letters, digits, dashes).")]
    public string? ClientAddressHeader { get; set; }

    /// <summary>
    /// Trusted proxies whose entries are skipped from the right of the chain: the chain is the header's entries, or,
    /// without a header, what is left of <c>X-Forwarded-For</c> followed by the connection's address.
    /// </summary>
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
