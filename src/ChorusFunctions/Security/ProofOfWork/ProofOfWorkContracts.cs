namespace ChorusFunctions.Security.ProofOfWork;

/// <summary>
/// What <c>GET /api/proof-of-work</c> answers: find <c>number</c> (0 to <see cref="MaxNumber"/>) such that
/// SHA-256(<see cref="Salt"/> + number), in lower-case hex, is <see cref="Challenge"/>. Or that none is required.
/// </summary>
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
