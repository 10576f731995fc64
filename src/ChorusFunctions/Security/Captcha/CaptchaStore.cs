using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Storage;

namespace ChorusFunctions.Security.Captcha;

/// <summary>
/// An issued captcha (table <c>Captchas</c>): partition = the minute it expires (UTC, sortable, so cleanup reads
/// only expired ones), row = 128 random bits. The id given to the browser is both, concatenated. Only a keyed hash
/// of the answer is kept, and which kind of challenge it answers (the image's characters or the text question's
/// answer are normalised differently).
/// </summary>
public sealed class CaptchaEntity : ITableEntity
{
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public CaptchaEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public required string RowKey { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Base64 of HMAC-SHA256(captcha key, id + normalised answer).</summary>
    public required string AnswerHash { get; set; }

    /// <summary><c>Image</c> or <c>Text</c> (<see cref="CaptchaKind"/>); absent on rows written before the text kind: an image.</summary>
    public string? Kind { get; set; }

    public CaptchaKind GetKind() => Kind == nameof(CaptchaKind.Text) ? CaptchaKind.Text : CaptchaKind.Image;

    public required DateTimeOffset ExpiresAt { get; set; }
}

public sealed class CaptchaStore(TableClients tables)
{
    const int PartitionLength = 12;
    const int RowLength = 32;
    public const int IdLength = PartitionLength + RowLength;

    readonly TableClient table = tables.Get(SecurityTableNames.Captchas);

    /// <summary>Ids are 12 digits and 32 lower-case hex digits; anything else is refused before any storage access.</summary>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: IdLength } && id.AsSpan(0, PartitionLength).ContainsAnyExceptInRange('0', '9') is false
        && id.AsSpan(PartitionLength).IndexOfAnyExcept("0123456789abcdef") < 0;

    public static string NewId(DateTimeOffset expiresAt) =>
        TimeKeys.Minute(expiresAt.AddMinutes(1)) + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(RowLength / 2));

    public Task AddAsync(string id, CaptchaKind kind, string answerHash, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        table.AddEntityAsync(
            new CaptchaEntity { PartitionKey = id[..PartitionLength], RowKey = id[PartitionLength..], Kind = kind.ToString(), AnswerHash = answerHash, ExpiresAt = expiresAt },
            cancellationToken);

    /// <summary>
    /// Single use: reads the captcha and deletes it (ETag-conditional). Of several racing callers only one gets it;
    /// the others, and every later caller, get null.
    /// </summary>
    public async Task<CaptchaEntity?> TakeAsync(string id, CancellationToken cancellationToken)
    {
        NullableResponse<CaptchaEntity> found = await table.GetEntityIfExistsAsync<CaptchaEntity>(id[..PartitionLength], id[PartitionLength..], cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        try
        {
            await table.DeleteEntityAsync(found.Value!.PartitionKey, found.Value.RowKey, found.Value.ETag, cancellationToken);
            return found.Value;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Deletes captchas whose expiry minute is before <paramref name="before"/>; reads only those partitions.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        int deleted = 0;
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>($"PartitionKey lt '{TimeKeys.Minute(before)}'", maxPerPage: 100, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }

            if (++deleted >= max)
            {
                break;
            }
        }

        return deleted;
    }
}
