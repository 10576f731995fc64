namespace ChorusFunctions.Security;

/// <summary>
/// Derives one key per purpose, so that no two controls share a key: pseudonyms (keyed hashes of IP addresses,
/// emails, identifiers, tokens), captcha answers and proof-of-work challenges.
/// </summary>
public sealed class SecurityKeys
{
    readonly byte[] pseudonymKey;
    readonly byte[] captchaKey;
    readonly byte[] proofOfWorkKey;

    public SecurityKeys(IOptions<SecurityOptions> security)
    {
        byte[] tokenKey = Convert.FromBase64String(security.Value.TokenKey);
        string? auditKey = security.Value.AuditKey;
        pseudonymKey = string.IsNullOrWhiteSpace(auditKey)
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey, 32, info: "chorus/pseudonyms/v1"u8.ToArray())
            : Convert.FromBase64String(auditKey);
        captchaKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey, 32, info: "chorus/captcha/v1"u8.ToArray());
        proofOfWorkKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, tokenKey, 32, info: "chorus/proof-of-work/v1"u8.ToArray());
    }

    /// <summary>A stable, non-reversible stand-in for a personal value: 128 bits of HMAC-SHA256, hex.</summary>
    public string Pseudonym(string kind, string value)
    {
        byte[] mac = HMACSHA256.HashData(pseudonymKey, Encoding.UTF8.GetBytes($"{kind}\n{value}"));
        return Convert.ToHexStringLower(mac, 0, 16);
    }

    /// <summary>The keyed hash of a client address kept by the audit trail.</summary>
    public string ClientHash(ClientContext client) => Pseudonym("ip", client.Address);

    /// <summary>A captcha answer bound to its captcha id; the answer space is small, so it must be keyed.</summary>
    public byte[] CaptchaAnswerHash(string captchaId, string normalizedAnswer) =>
        HMACSHA256.HashData(captchaKey, Encoding.UTF8.GetBytes($"{captchaId}\n{normalizedAnswer}"));

    /// <summary>The signature of a proof-of-work challenge (hex): only this service can have issued it.</summary>
    public string ProofOfWorkSignature(string challenge) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(proofOfWorkKey, Encoding.UTF8.GetBytes(challenge)));
}
