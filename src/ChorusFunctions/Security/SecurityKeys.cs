namespace ChorusFunctions.Security;

/// <summary>One key per purpose (pseudonyms, captcha answers, proof-of-work signatures): no two controls share a key.</summary>
public sealed class SecurityKeys(IOptions<SecurityOptions> security)
{
    readonly byte[] pseudonymKey = string.IsNullOrWhiteSpace(security.Value.AuditKey)
        ? Derive(security.Value, "chorus/pseudonyms/v1"u8)
        : Convert.FromBase64String(security.Value.AuditKey);

    readonly byte[] captchaKey = Derive(security.Value, "chorus/captcha/v1"u8);
    readonly byte[] proofOfWorkKey = Derive(security.Value, "chorus/proof-of-work/v1"u8);

    static byte[] Derive(SecurityOptions security, ReadOnlySpan<byte> label) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(security.TokenKey), 32, info: label.ToArray());

    /// <summary>A stable, non-reversible stand-in for a personal value: 128 bits of HMAC-SHA256, hex.</summary>
    public string Pseudonym(string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(pseudonymKey, Encoding.UTF8.GetBytes($"{kind}\n{value}")), 0, 16);

    /// <summary>The keyed hash of a client address kept by the audit trail.</summary>
    public string ClientHash(ClientContext client) => Pseudonym("ip", client.Address);

    /// <summary>A captcha answer bound to its captcha id; the answer space is small, so it must be keyed.</summary>
    public byte[] CaptchaAnswerHash(string captchaId, string normalizedAnswer) =>
        HMACSHA256.HashData(captchaKey, Encoding.UTF8.GetBytes($"{captchaId}\n{normalizedAnswer}"));

    /// <summary>The signature of a proof-of-work challenge (hex): only this service can have issued it.</summary>
    public string ProofOfWorkSignature(string challenge) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(proofOfWorkKey, Encoding.UTF8.GetBytes(challenge)));
}
