using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ChorusFunctions.Signup;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Activation;

/// <summary>
/// Activation tokens are 256-bit values derived as HMAC-SHA256(key, nonce), where the nonce is a random GUID
/// chosen by the orchestration. Deriving (rather than storing) the raw token lets a retried email activity send
/// the very same link, while the raw token never enters orchestration history or storage: only its SHA-256 is
/// stored, and the key lives in Key Vault.
/// </summary>
public sealed class ActivationTokens(IOptions<SecurityOptions> options)
{
    readonly byte[] key = Convert.FromBase64String(options.Value.TokenKey);

    public string Derive(Guid nonce, string purpose)
    {
        byte[] mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{purpose}:{nonce:N}"));
        return Base64Url.EncodeToString(mac);
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Tokens are 43 base64url characters; anything else is rejected before any storage access.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
