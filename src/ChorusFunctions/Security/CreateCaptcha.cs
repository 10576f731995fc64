using ChorusFunctions.Security.Captcha;

namespace ChorusFunctions.Security;

/// <summary>A new captcha for step 2 (an image, or with <c>?kind=text</c> a question in French), or <c>required: false</c>.</summary>
public sealed class CreateCaptcha(ICaptchaProvider captcha, RequestGuard guard)
{
    public const string UnknownKindMessage = "Le type de contrôle demandé est inconnu : indiquez « image » ou « text ».";

    [Function(nameof(CreateCaptcha))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "captcha")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CaptchaKinds.TryParse(request.Query["kind"], out CaptchaKind kind)
            ? ApiResults.From(
                  await guard.RunAsync<CaptchaChallenge>(nameof(CreateCaptcha), request, new(TextCaptcha: kind == CaptchaKind.Text), async () => await captcha.CreateAsync(kind, cancellationToken), cancellationToken),
                  ApiResults.Ok)
            : ApiResults.Problem(ApiProblem.Validation("kind", UnknownKindMessage));
}
