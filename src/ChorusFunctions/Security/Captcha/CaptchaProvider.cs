using System.Text.Json.Serialization;
using ChorusFunctions.Signup;

namespace ChorusFunctions.Security.Captcha;

/// <summary>What <c>GET /api/captcha</c> answers: a challenge to show, or that none is required.</summary>
public sealed record CaptchaChallenge
{
    public required bool Required { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    /// <summary>A <c>data:image/png;base64,…</c> URL.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Image { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }

    public static CaptchaChallenge NotRequired { get; } = new() { Required = false };
}

/// <summary>
/// A captcha provider issues challenges (<c>GET /api/captcha</c>) and checks answers (step 2, through
/// <see cref="ICaptchaVerifier"/>). <c>Captcha__Provider</c> chooses one; a hosted provider (a widget whose token
/// is verified server-side) plugs in by implementing this and adding a case to <see cref="CaptchaRegistration"/>.
/// </summary>
public interface ICaptchaProvider : ICaptchaVerifier
{
    Task<CaptchaChallenge> CreateAsync(CancellationToken cancellationToken);
}

/// <summary><c>Captcha__Provider=None</c>: nothing to show, every answer accepted (Development only).</summary>
public sealed class NoCaptchaProvider : ICaptchaProvider
{
    public Task<CaptchaChallenge> CreateAsync(CancellationToken cancellationToken) => Task.FromResult(CaptchaChallenge.NotRequired);

    public Task<bool> VerifyAsync(string? captchaId, string? answer, CancellationToken cancellationToken) => Task.FromResult(true);
}
