using System.Text.RegularExpressions;
using ChorusFunctions.Security.Captcha;

namespace ChorusFunctions.Security.ProofOfWork;

public enum ProofOfWorkVerdict
{
    Valid,

    /// <summary>Absent, malformed, not solved, or not issued here.</summary>
    Invalid,

    /// <summary>Issued here and solved, but too late (or, once claimed, already used).</summary>
    Expired,
}

/// <summary>
/// Step 1's invisible proof of work, after ALTCHA: the browser finds a secret number from its signed SHA-256 (about a
/// second of CPU). Issuing stores nothing (the salt carries the expiry, signed); a used challenge is marked until it expires.
/// </summary>
public sealed partial class ProofOfWorkService(
    IOptions<ProofOfWorkOptions> options,
    IOptions<CaptchaOptions> captcha,
    SecurityKeys keys,
    SecurityMarkStore marks,
    TimeProvider time,
    ILogger<ProofOfWorkService> logger)
{
    public const string Algorithm = "SHA-256";
    const string MarkKind = "pow";

    /// <summary>Off with the captcha (<c>Captcha__Provider=None</c>, development only).</summary>
    public bool Required => captcha.Value.Provider != CaptchaProviderKind.None;

    public ProofOfWorkChallenge Create() => Required ? Issue(options.Value, keys, time.GetUtcNow()) : ProofOfWorkChallenge.NotRequired;

    /// <summary>A new challenge: nothing is stored, everything needed to check it later is in it, signed.</summary>
    public static ProofOfWorkChallenge Issue(ProofOfWorkOptions options, SecurityKeys keys, DateTimeOffset now)
    {
        DateTimeOffset expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + options.Lifetime).ToUnixTimeSeconds());
        string salt = $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}?expires={expiresAt.ToUnixTimeSeconds()}";
        string challenge = Hash(salt, RandomNumberGenerator.GetInt32(0, options.MaxNumber + 1));
        return new ProofOfWorkChallenge
        {
            Required = true,
            Algorithm = Algorithm,
            Challenge = challenge,
            Salt = salt,
            MaxNumber = options.MaxNumber,
            Signature = keys.ProofOfWorkSignature(challenge),
            ExpiresAt = expiresAt,
        };
    }

    /// <summary>
    /// Null when step 1 may go on: valid and not used by another request. A retry with the same <c>Idempotency-Key</c>
    /// may reuse its solution until it expires, so a lost answer never costs the user their signup.
    /// </summary>
    public async Task<ApiProblem?> VerifyAsync(ProofOfWorkSolution? solution, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (!Required)
        {
            return null;
        }

        ProofOfWorkVerdict verdict = Check(solution, time.GetUtcNow(), options.Value.MaxNumber, keys, out DateTimeOffset expiresAt);
        string? holder = idempotencyKey is null ? null : keys.Pseudonym("idempotency-key", idempotencyKey);
        if (verdict == ProofOfWorkVerdict.Valid && await marks.TryClaimAsync(MarkKind, solution!.Challenge!, expiresAt, cancellationToken, holder))
        {
            return null;
        }

        LogRefused(verdict switch { ProofOfWorkVerdict.Valid => "already used", ProofOfWorkVerdict.Expired => "expired", _ => "invalid" });
        return verdict == ProofOfWorkVerdict.Invalid ? ProofOfWorkProblems.Invalid() : ProofOfWorkProblems.Expired();
    }

    /// <summary>The checks that need no storage: well formed, issued here (signature), solved, not expired.</summary>
    public static ProofOfWorkVerdict Check(ProofOfWorkSolution? solution, DateTimeOffset now, int maxNumber, SecurityKeys keys, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        if (solution is not { Algorithm: Algorithm, Challenge: { Length: 64 } challenge, Salt: { Length: <= 64 } salt, Number: { } number, Signature: { Length: 64 } signature }
            || number < 0 || number > maxNumber
            || SaltPattern().Match(salt) is not { Success: true } match
            || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long expires))
        {
            return ProofOfWorkVerdict.Invalid;
        }

        bool signed = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(keys.ProofOfWorkSignature(challenge)), Encoding.ASCII.GetBytes(signature));
        bool solved = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(salt, number)), Encoding.ASCII.GetBytes(challenge));
        if (!signed || !solved)
        {
            return ProofOfWorkVerdict.Invalid;
        }

        expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expires, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        return expiresAt > now ? ProofOfWorkVerdict.Valid : ProofOfWorkVerdict.Expired;
    }

    /// <summary>SHA-256(salt + number in decimal), lower-case hex: what the browser computes.</summary>
    public static string Hash(string salt, long number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + number.ToString(CultureInfo.InvariantCulture))));

    [GeneratedRegex("^[0-9a-f]{32}\\?expires=([0-9]{1,11})$", RegexOptions.CultureInvariant)]
    private static partial Regex SaltPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Proof of work refused: {Reason}")]
    partial void LogRefused(string reason);
}

/// <summary>A challenge: find <c>number</c> (0 to <see cref="MaxNumber"/>) whose SHA-256(<see cref="Salt"/> + number) is <see cref="Challenge"/>.</summary>
public sealed record ProofOfWorkChallenge
{
    public required bool Required { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Algorithm { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Challenge { get; init; }

    /// <summary>128 random bits and the expiry (<c>…?expires=</c> Unix seconds): the signature covers both.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Salt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxNumber { get; init; }

    /// <summary>HMAC-SHA256 of the challenge under a key only the server has, hex.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }

    public static ProofOfWorkChallenge NotRequired { get; } = new() { Required = false };
}

/// <summary>A solved challenge, sent with step 1 (<c>proofOfWork</c>): the challenge as issued, and the number found.</summary>
public sealed record ProofOfWorkSolution(string? Algorithm, string? Challenge, string? Salt, long? Number, string? Signature);

/// <summary>Step 1 without a valid proof of work. The front end solves a new one when the user submits again.</summary>
public static class ProofOfWorkProblems
{
    public static ApiProblem Invalid() => ApiProblem.Of(400, ErrorCodes.ProofOfWorkInvalid, "Vérification automatique incorrecte",
        "La vérification automatique faite par votre navigateur est absente ou incorrecte. Rechargez la page puis cliquez de nouveau sur «\u00a0Suivant\u00a0».");

    public static ApiProblem Expired() => ApiProblem.Of(422, ErrorCodes.ProofOfWorkExpired, "Vérification automatique expirée",
        "La vérification automatique faite par votre navigateur a expiré ou a déjà servi. Cliquez de nouveau sur «\u00a0Suivant\u00a0» : une nouvelle vérification sera faite.");
}

/// <summary>Step 1's proof of work (<c>ProofOfWork__*</c>): on whenever the captcha is, so one setting turns both off.</summary>
public sealed class ProofOfWorkOptions
{
    public const string Section = "ProofOfWork";

    /// <summary>The secret number's maximum; a browser tries half on average: 60,000 is about a second on a mid-range phone.</summary>
    [Range(1_000, 10_000_000)]
    public int MaxNumber { get; set; } = 60_000;

    /// <summary>How long a challenge can be solved and sent; it is solved when step 1 is submitted, so this is short.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(2);
}
