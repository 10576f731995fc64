using ChorusFunctions.Http;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.RateLimits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Security;

/// <summary>A new captcha for step 2 ("Entrez les caractères générés par l'image"), or <c>required: false</c>.</summary>
public sealed class CreateCaptcha(ICaptchaProvider captcha, RequestThrottle throttle, ClientAddressResolver clients)
{
    [Function(nameof(CreateCaptcha))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "captcha")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ClientContext client = clients.Resolve(request);
        if (await throttle.CheckAsync(RatePolicy.CaptchaPerIp, client.RateKey, cancellationToken) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        return ApiResults.Ok(await captcha.CreateAsync(cancellationToken));
    }
}
