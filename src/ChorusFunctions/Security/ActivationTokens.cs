using System.Buffers.Text;

namespace ChorusFunctions.Security;

/// <summary>
/// Tokens (activation and joining-request links) are 256-bit values derived as HMAC-SHA256(key, purpose:subject),
/// the subject naming what the link is for (a signup's link number, a joining request). Deriving rather than storing
/// the raw token lets a retried email, a redelivered message or a repaired signup send the very same link, while the
/// raw token never enters orchestration history or storage: only its SHA-256 is stored, and the key lives in Key Vault.
/// </summary>
public sealed class ActivationTokens(IOptions<SecurityOptions> options)
{
    readonly byte[] key = Convert.FromBase64String(options.Value.TokenKey);

    public string Derive(string subject, string purpose) => Base64Url.EncodeToString(Mac(subject, purpose));

    /// <summary>A 32-hex-digit id derived from <paramref name="subject"/>: the same subject always names the same thing.</summary>
    public string DeriveId(string subject, string purpose) => Convert.ToHexStringLower(Mac(subject, purpose), 0, 16);

    /// <summary>
    /// The identifier of a structure without a register number (PARTICULIER, EN_COURS_IMMATRICULATION): the first 80
    /// bits of HMAC-SHA256 under the server key over the normalised login email, in upper-case hexadecimal. Stable for
    /// a person while the key stays, and nobody without the key can compute it from an email to ask whether that
    /// person has an account.
    /// </summary>
    public const int StructureIdentifierLength = 20;

    public string DeriveStructureIdentifier(string normalizedLoginEmail) =>
        Convert.ToHexString(Mac(normalizedLoginEmail, "structure-identifier"), 0, StructureIdentifierLength / 2);

    byte[] Mac(string subject, string purpose) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{purpose}:{subject}"));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Tokens are 43 base64url characters; anything else is rejected before any storage access.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
