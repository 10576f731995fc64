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
