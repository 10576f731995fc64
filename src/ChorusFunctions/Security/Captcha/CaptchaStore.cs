using ChorusFunctions.Storage;

namespace ChorusFunctions.Security.Captcha;

/// <summary>An issued captcha: partition = minute it expires (cleanup reads only expired ones), row = 128 random bits; only a keyed answer hash.</summary>
public sealed class CaptchaEntity : TableRow
{
    public required override string RowKey { get; set; }

    /// <summary>Base64 of HMAC-SHA256(captcha key, id + normalised answer).</summary>
    public required string AnswerHash { get; set; }

    /// <summary>Absent on rows written before the text kind: an image.</summary>
    public CaptchaKind Kind { get; set; } = CaptchaKind.Image;

    public required DateTimeOffset ExpiresAt { get; set; }
}

public sealed class CaptchaStore(TableClients tables) : TableStore(tables, TableNames.Captchas)
{
    const int PartitionLength = 12;
    const int RowLength = 32;
    public const int IdLength = PartitionLength + RowLength;

    /// <summary>Ids are 12 digits and 32 lower-case hex digits; anything else is refused before any storage access.</summary>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: IdLength } && id.AsSpan(0, PartitionLength).ContainsAnyExceptInRange('0', '9') is false
        && id.AsSpan(PartitionLength).IndexOfAnyExcept("0123456789abcdef") < 0;

    public static string NewId(DateTimeOffset expiresAt) =>
        TimeKeys.Minute(expiresAt.AddMinutes(1)) + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(RowLength / 2));

    public Task AddAsync(string id, CaptchaKind kind, string answerHash, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Table.AddEntityAsync(
            new CaptchaEntity { PartitionKey = id[..PartitionLength], RowKey = id[PartitionLength..], Kind = kind, AnswerHash = answerHash, ExpiresAt = expiresAt },
            cancellationToken);

    /// <summary>Single use: read, then an ETag-conditional delete; of racing callers only one gets it, later ones get null.</summary>
    public async Task<CaptchaEntity?> TakeAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync<CaptchaEntity>(id[..PartitionLength], id[PartitionLength..], cancellationToken) is { } found
        && await DeleteAsync(found.PartitionKey, found.RowKey, found.ETag, cancellationToken)
            ? found
            : null;

    /// <summary>Deletes captchas whose expiry minute is before <paramref name="before"/>; reads only those partitions.</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        DeleteWhereAsync($"PartitionKey lt '{TimeKeys.Minute(before)}'", max, cancellationToken);
}
