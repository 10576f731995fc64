using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Azure.Data.Tables;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Storage;
using ChorusFunctions.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Security;

/// <summary>
/// Local stacks for the security tests. Each gets its own audit key: counters, locks and pseudonyms then belong to
/// that stack alone, so a test that locks 127.0.0.1 out or exhausts a limit does not touch other tests sharing the
/// same Azurite.
/// </summary>
public static class SecurityStack
{
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task<LocalStack> StartAsync(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?> { ["Security:AuditKey"] = NewKey() };
        foreach ((string key, string? value) in overrides ?? [])
        {
            settings[key] = value;
        }

        return await LocalStack.StartAsync(settings);
    }

    public static TableClient Table(this LocalStack stack, string name) => stack.Services.GetRequiredService<TableClients>().Get(name);

    public static Task<IReadOnlyList<AuditEntity>> AuditAsync(this LocalStack stack, string subject) =>
        stack.Services.GetRequiredService<AuditTrail>().ReadAsync(subject, CancellationToken.None);

    public static string Email(string prefix) => $"{prefix}.{Guid.NewGuid():N}@exemple.fr";

    /// <summary>A step 2 body with everything valid, and the given captcha.</summary>
    public static object Details(string email, string? captchaId, string? captchaAnswer) => new
    {
        loginEmailConfirmation = email,
        lastName = "Lucas",
        firstName = "Georges",
        captcha = captchaId is null ? null : new { id = captchaId, answer = captchaAnswer },
        structure = new { companyName = "ETS HORTICOLES GEORGES TRUFFAUT", address = "8 RUE DES CHAMPS", postalCode = "91100", city = "CORBEIL-ESSONNES", country = "FR" },
        features = new { paymentRequests = true, dume = false },
    };

    public static int RetryAfter(this ApiClient.Response response) =>
        int.Parse(response.Raw.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    public static void AssertProblem(this ApiClient.Response response, HttpStatusCode status, string code)
    {
        Assert.True(status == response.Status, $"expected {(int)status}, got {(int)response.Status}: {response.Body}");
        Assert.Equal("application/problem+json", response.Raw.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, response.Code);
    }
}

/// <summary>
/// Reads the captcha as a person reads the image: listens to the in-process host's image provider (an internal
/// hook; nothing in the API reveals an answer).
/// </summary>
public sealed class CaptchaSolver : IDisposable
{
    readonly ImageCaptchaProvider provider;
    readonly ConcurrentDictionary<string, string> answers = new();

    public CaptchaSolver(LocalStack stack)
    {
        provider = stack.Services.GetRequiredService<ImageCaptchaProvider>();
        provider.AnswerIssued += OnIssued;
    }

    public IReadOnlyCollection<string> Answers => answers.Values.ToArray();

    public string AnswerOf(string captchaId) => answers[captchaId];

    void OnIssued(string id, string answer) => answers[id] = answer;

    public void Dispose() => provider.AnswerIssued -= OnIssued;
}
