namespace ChorusFunctions.Security.Captcha;

/// <summary>Checks the captcha answered at step 2. The image captcha and hosted providers plug in here.</summary>
public interface ICaptchaVerifier
{
    Task<bool> VerifyAsync(string? captchaId, string? answer, CancellationToken cancellationToken);
}
