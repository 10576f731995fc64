using ChorusFunctions.Http;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.RateLimits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Security;

/// <summary>
/// A new captcha for step 2, or <c>required: false</c>: by default an image ("Entrez les caractères générés par
/// l'image"); with <c>?kind=text</c> its non-visual alternative, a short question in French. Both kinds count
/// against the same rate limit; a question also against its own, tighter one.
/// </summary>
public sealed class CreateCaptcha(ICaptchaProvider captcha, RequestThrottle throttle, ClientAddressResolver clients)
{
    public const string UnknownKindMessage = "Le type de contrôle demandé est inconnu : indiquez « image » ou « text ».";

    [Function(nameof(CreateCaptcha))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "captcha")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!CaptchaKinds.TryParse(request.Query["kind"], out CaptchaKind kind))
        {
            return ApiResults.Problem(ApiProblem.Validation("kind", UnknownKindMessage));
        }

        ClientContext client = clients.Resolve(request);
        if (await throttle.CheckAsync(
            [
                (RatePolicy.CaptchaPerIp, client.RateKey),
                (RatePolicy.TextCaptchaPerIp, kind == CaptchaKind.Text ? client.RateKey : null),
            ],
            cancellationToken) is { } limited)
        {
            return ApiResults.Problem(limited);
        }

        return ApiResults.Ok(await captcha.CreateAsync(kind, cancellationToken));
    }
}
