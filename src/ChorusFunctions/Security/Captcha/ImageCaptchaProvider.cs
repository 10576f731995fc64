namespace ChorusFunctions.Security.Captcha;

/// <summary>The built-in captcha: the guide's distorted image or its text alternative; single use, expiring, stored only as a keyed hash.</summary>
public sealed partial class ImageCaptchaProvider(
    CaptchaStore store,
    SecurityKeys keys,
    IOptions<CaptchaOptions> options,
    TimeProvider time,
    ILogger<ImageCaptchaProvider> logger) : ICaptchaProvider
{
    /// <summary>No look-alikes (0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V, 7/T): what is drawn is what is typed.</summary>
    public const string Alphabet = "ACDEFHJKMNPRTWXY349";

    /// <summary>Tests only: they listen to solve the captcha as a person would (id, normalised answer). Nothing in the app listens.</summary>
    internal event Action<string, string>? AnswerIssued;

    public const int MinLength = 5;
    public const int MaxLength = 6;

    /// <summary>Longest image answer even looked at; longer is wrong without hashing.</summary>
    const int MaxAnswerLength = 32;

    public async Task<CaptchaChallenge> CreateAsync(CaptchaKind kind, CancellationToken cancellationToken)
    {
        DateTimeOffset expiresAt = time.GetUtcNow() + options.Value.Lifetime;
        string id = CaptchaStore.NewId(expiresAt);
        TextChallenge? text = kind == CaptchaKind.Text ? TextChallenge.Create() : null;
        string answer = text?.Answer ?? RandomNumberGenerator.GetString(Alphabet, RandomNumberGenerator.GetInt32(MinLength, MaxLength + 1));
        await store.AddAsync(id, kind, Convert.ToBase64String(keys.CaptchaAnswerHash(id, answer)), expiresAt, cancellationToken);
        AnswerIssued?.Invoke(id, answer);
        LogIssued(id, kind);
        return new CaptchaChallenge
        {
            Required = true,
            Id = id,
            Image = text is null ? "data:image/png;base64," + Convert.ToBase64String(CaptchaRenderer.RenderPng(answer)) : null,
            Question = text?.Question,
            ExpiresAt = expiresAt,
        };
    }

    public async Task<bool> VerifyAsync(string? captchaId, string? answer, CancellationToken cancellationToken)
    {
        if (!CaptchaStore.IsWellFormedId(captchaId))
        {
            return false;
        }

        // Taken whatever the answer: one image or question, one try.
        CaptchaEntity? captcha = await store.TakeAsync(captchaId!, cancellationToken);
        if (captcha is null || captcha.ExpiresAt <= time.GetUtcNow() || (captcha.Kind == CaptchaKind.Text ? TextChallenge.Normalize(answer) : Normalize(answer)) is not { } normalized)
        {
            LogRefused(captchaId!, captcha is null ? "unknown or used" : "expired or empty");
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        if (!Convert.TryFromBase64String(captcha.AnswerHash, expected, out int written))
        {
            return false;
        }

        bool solved = CryptographicOperations.FixedTimeEquals(keys.CaptchaAnswerHash(captchaId!, normalized), expected[..written]);
        if (!solved)
        {
            LogRefused(captchaId!, "wrong answer");
        }

        return solved;
    }

    /// <summary>The image's answer: upper case without spaces ("ab 3 cd" = "AB3CD"); null when empty or absurdly long.</summary>
    public static string? Normalize(string? answer) =>
        string.IsNullOrWhiteSpace(answer) || answer.Length > MaxAnswerLength ? null : string.Concat(answer.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Captcha {CaptchaId} issued ({CaptchaKind})")]
    partial void LogIssued(string captchaId, CaptchaKind captchaKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Captcha {CaptchaId} refused: {Reason}")]
    partial void LogRefused(string captchaId, string reason);
}
