using Microsoft.Extensions.Primitives;

namespace ChorusFunctions.Security.Captcha;

public enum CaptchaProviderKind
{
    /// <summary>The image captcha of step 2, rendered here (default).</summary>
    Image,

    /// <summary>No captcha: every answer is accepted. Refused at start-up outside the Development environment.</summary>
    None,
}

/// <summary>Captcha settings (<c>Captcha__*</c>).</summary>
public sealed class CaptchaOptions
{
    public const string Section = "Captcha";

    [EnumDataType(typeof(CaptchaProviderKind))]
    public CaptchaProviderKind Provider { get; set; } = CaptchaProviderKind.Image;

    /// <summary>How long an image can be answered.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Which challenge <c>GET /api/captcha</c> issues (<c>?kind=</c>).</summary>
public enum CaptchaKind
{
    /// <summary>Characters to read in an image (<c>kind=image</c>, the default).</summary>
    Image,

    /// <summary>The non-visual alternative (<c>kind=text</c>): a short question in French (RGAA 1.4/1.5, WCAG 1.1.1).</summary>
    Text,
}

public static class CaptchaKinds
{
    /// <summary>Absent is an image; else exactly one <c>image</c> or <c>text</c>. Anything else (another value, the parameter twice) is refused.</summary>
    public static bool TryParse(StringValues values, out CaptchaKind kind)
    {
        kind = values is ["text"] ? CaptchaKind.Text : CaptchaKind.Image;
        return values is [] or ["image" or "text"];
    }
}

/// <summary>What <c>GET /api/captcha</c> answers: a challenge to show, or that none is required.</summary>
public sealed record CaptchaChallenge
{
    public required bool Required { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    /// <summary>A <c>data:image/png;base64,…</c> URL.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Image { get; init; }

    /// <summary>The text challenge's question (<c>kind=text</c>), to show and read out as plain text.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Question { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }

    public static CaptchaChallenge NotRequired { get; } = new() { Required = false };
}

/// <summary>Checks the captcha answered at step 2. The image captcha and hosted providers plug in here.</summary>
public interface ICaptchaVerifier
{
    Task<bool> VerifyAsync(string? captchaId, string? answer, CancellationToken cancellationToken);
}

/// <summary>
/// Issues challenges and checks answers; <c>Captcha__Provider</c> chooses one (a case in <see cref="SecurityRegistration"/>).
/// Whatever it is, it must offer a non-visual way through (<see cref="CaptchaKind.Text"/>, or its own audio one).
/// </summary>
public interface ICaptchaProvider : ICaptchaVerifier
{
    Task<CaptchaChallenge> CreateAsync(CaptchaKind kind, CancellationToken cancellationToken);
}

/// <summary><c>Captcha__Provider=None</c>: nothing to show, every answer accepted (Development only).</summary>
public sealed class NoCaptchaProvider : ICaptchaProvider
{
    public Task<CaptchaChallenge> CreateAsync(CaptchaKind kind, CancellationToken cancellationToken) => Task.FromResult(CaptchaChallenge.NotRequired);

    public Task<bool> VerifyAsync(string? captchaId, string? answer, CancellationToken cancellationToken) => Task.FromResult(true);
}
