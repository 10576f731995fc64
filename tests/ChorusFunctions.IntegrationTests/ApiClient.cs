using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests;

/// <summary>
/// Drives the public API like the front end does, step by step, and reads the activation email. By default through
/// the stack's client, which keeps each signup's cookie as the browser would; <paramref name="http"/> is another one.
/// </summary>
public sealed class ApiClient(LocalStack stack, HttpClient? http = null)
{
    public HttpClient Http => http ?? stack.Http;

    public sealed record Response(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Raw)
    {
        public string? Code => Body?["code"]?.GetValue<string>();

        public string Text(string property) => Body?[property]?.GetValue<string>() ?? throw new InvalidOperationException($"No {property} in {Body}");
    }

    public async Task<Response> SendAsync(HttpMethod method, string path, object? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach ((string name, string value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return new Response(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public async Task<Response> StartAsync(string email, string? siret = null, string? idempotencyKey = null)
    {
        string identifier = siret ?? Sirets.NewValid();
        JsonObject? proofOfWork = await SolveProofOfWorkAsync();
        object body = proofOfWork is null
            ? new { loginEmail = email, identifierType = "SIRET", identifier }
            : new { loginEmail = email, identifierType = "SIRET", identifier, proofOfWork };
        return await SendAsync(HttpMethod.Post, "api/signups", body,
            idempotencyKey is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey });
    }

    /// <summary>What the front end's worker does before step 1: a new challenge, solved; null when none is required.</summary>
    public async Task<JsonObject?> SolveProofOfWorkAsync()
    {
        Response challenge = await SendAsync(HttpMethod.Get, "api/proof-of-work");
        Assert.Equal(HttpStatusCode.OK, challenge.Status);
        return challenge.Body!["required"]!.GetValue<bool>() ? SolveProofOfWork(challenge.Body.AsObject()) : null;
    }

    /// <summary>Tries every number up to maxNumber, as the browser does: SHA-256(salt + n) in hex equals the challenge.</summary>
    public static JsonObject SolveProofOfWork(JsonObject challenge)
    {
        string salt = challenge["salt"]!.GetValue<string>();
        string wanted = challenge["challenge"]!.GetValue<string>();
        int max = challenge["maxNumber"]!.GetValue<int>();
        for (int n = 0; n <= max; n++)
        {
            if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(salt + n.ToString(System.Globalization.CultureInfo.InvariantCulture)))) == wanted)
            {
                return new JsonObject
                {
                    ["algorithm"] = challenge["algorithm"]!.GetValue<string>(),
                    ["challenge"] = wanted,
                    ["salt"] = salt,
                    ["number"] = n,
                    ["signature"] = challenge["signature"]!.GetValue<string>(),
                };
            }
        }

        throw new InvalidOperationException("The proof of work has no solution up to maxNumber.");
    }

    public Task<Response> DetailsAsync(string signupId, string email) =>
        SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", new
        {
            loginEmailConfirmation = email,
            lastName = "Lucas",
            firstName = "Georges",
            structure = new { companyName = "ETS HORTICOLES GEORGES TRUFFAUT", address = "8 RUE DES CHAMPS", postalCode = "91100", city = "CORBEIL-ESSONNES", country = "FR" },
            features = new { paymentRequests = true, dume = false },
        });

    public Task<Response> WorkspacesAsync(string signupId) =>
        SendAsync(HttpMethod.Put, $"api/signups/{signupId}/workspaces", new { workspaces = new[] { "FACTURES_EMISES", "SOLLICITATIONS_EMISES" } });

    public Task<Response> ActivateAsync(string token, string password = "Jardin-Truffaut-2026") =>
        SendAsync(HttpMethod.Post, $"api/activations/{token}", new { password, passwordConfirmation = password, secretQuestion = "Ville de naissance", secretAnswer = "Corbeil" });

    public Task<Response> GetSignupAsync(string signupId) => SendAsync(HttpMethod.Get, $"api/signups/{signupId}");

    /// <summary>Steps 1–3; returns the signup id and the token read from the real email.</summary>
    public async Task<(string SignupId, string Token)> UntilActivationEmailAsync(string email, int expectedMessages = 1)
    {
        Response started = await StartAsync(email);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        string signupId = started.Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await WorkspacesAsync(signupId)).Status);
        Mailbox.Message message = await stack.WaitForEmailAsync(email, expectedMessages);
        return (signupId, Mailbox.ActivationToken(message));
    }

    /// <summary>
    /// After activation, waits until the signup has its role: the first activated account of a structure becomes its
    /// gestionnaire principal when the orchestration finalizes it, just after the activation's answer.
    /// </summary>
    public Task<Response> WaitForRoleAsync(string signupId) =>
        WaitForSignupAsync(signupId, r => r.Body?["role"] is JsonValue);

    /// <summary>Polls the signup until <paramref name="condition"/> holds (state changes made by the orchestration are asynchronous).</summary>
    public async Task<Response> WaitForSignupAsync(string signupId, Func<Response, bool> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            Response response = await GetSignupAsync(signupId);
            if (condition(response))
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Signup {signupId} did not reach the expected state: {response.Status} {response.Body}");
            await Task.Delay(200);
        }
    }
}
