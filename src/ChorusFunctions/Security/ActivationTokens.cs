using System.Buffers.Text;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Security;

/// <summary>
/// Link tokens (activation, joining request) are HMAC-SHA256(key, purpose:subject): derived, so a retried email or a
/// repaired signup sends the very same link, and the raw token is never stored (only its SHA-256) nor in orchestration history.
/// </summary>
public sealed class ActivationTokens(IOptions<SecurityOptions> options)
{
    readonly byte[] key = Convert.FromBase64String(options.Value.TokenKey);

    public string Derive(string subject, string purpose) => Base64Url.EncodeToString(Mac(subject, purpose));

    /// <summary>The token of a signup's activation link number <paramref name="sequence"/>.</summary>
    public string ActivationLink(string signupId, int sequence) => Derive($"{signupId}:{sequence}", "activation");

    /// <summary>A 32-hex-digit id derived from <paramref name="subject"/>: the same subject always names the same thing.</summary>
    public string DeriveId(string subject, string purpose) => Convert.ToHexStringLower(Mac(subject, purpose), 0, 16);

    /// <summary>
    /// A structure without a register number (PARTICULIER, EN_COURS_IMMATRICULATION) is named by 80 bits of HMAC of the
    /// login email, upper-case hex: stable for a person, and nobody without the key can test an email for an account.
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

/// <summary>An activation link (table <c>ActivationTokens</c>, partition = SHA-256 of the token; the token itself is never stored).</summary>
public sealed class ActivationTokenEntity : TableRow
{
    public const string Row = "token";

    public override string RowKey { get; set; } = Row;

    public required string SignupId { get; set; }

    public required int Sequence { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }
}

public sealed class ActivationTokenStore(TableClients tables) : TableStore(tables, TableNames.ActivationTokens)
{
    public Task<ActivationTokenEntity?> GetAsync(string tokenHash, CancellationToken cancellationToken) =>
        FindAsync<ActivationTokenEntity>(tokenHash, ActivationTokenEntity.Row, cancellationToken);

    /// <summary>Upsert: a retried send writes the same derived token again.</summary>
    public Task SaveAsync(ActivationTokenEntity token, CancellationToken cancellationToken) => UpsertAsync(token, cancellationToken);

    public Task DeleteAsync(string tokenHash, CancellationToken cancellationToken) =>
        DeleteAsync(tokenHash, ActivationTokenEntity.Row, ETag.All, cancellationToken);
}
