using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ChorusFunctions.Structures;

/// <summary>
/// What the HTTP register providers share: only SIRETs are looked up; the request goes through the named client's
/// resilience pipeline (timeouts, jittered retries honouring Retry-After, circuit breaker); any failure becomes
/// <see cref="DirectoryResult.Unavailable"/> so that the signup goes on; after a 429 whose Retry-After was too long
/// to wait, no request is sent until it has passed.
/// </summary>
public abstract partial class HttpStructureDirectory(IHttpClientFactory clients, string clientName, TimeProvider time, ILogger logger) : IStructureDirectory
{
    /// <summary>Register answers are small; a larger body is a fault, not data.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    long throttledUntilTicks;

    protected abstract string ProviderName { get; }

    public async Task<DirectoryLookup> LookupAsync(StructureIdentifier identifier, CancellationToken cancellationToken)
    {
        if (identifier.Type != IdentifierType.SIRET)
        {
            return DirectoryLookup.NotFound;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref throttledUntilTicks))
        {
            LogStillThrottled(ProviderName);
            return DirectoryLookup.Unavailable;
        }

        HttpClient client = clients.CreateClient(clientName);
        try
        {
            using HttpRequestMessage request = CreateRequest(identifier.Value);
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                TimeSpan wait = RetryAfter(response, now) ?? TimeSpan.FromSeconds(30);
                Interlocked.Exchange(ref throttledUntilTicks, (now + wait).UtcTicks);
                LogThrottled(ProviderName, wait);
                return DirectoryLookup.Unavailable;
            }

            DirectoryLookup lookup = await InterpretAsync(identifier.Value, response, cancellationToken);
            LogLookup(ProviderName, (int)response.StatusCode, lookup.Result);
            return lookup;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            LogUnavailable(ProviderName, ex.GetType().Name, ex.Message);
            return DirectoryLookup.Unavailable;
        }
    }

    protected abstract HttpRequestMessage CreateRequest(string siret);

    /// <summary>Turns the (non-429) final response into a lookup; unexpected statuses become Unavailable.</summary>
    protected abstract Task<DirectoryLookup> InterpretAsync(string siret, HttpResponseMessage response, CancellationToken cancellationToken);

    protected static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken);
    }

    /// <summary>Retry-After as a delay (delta-seconds or HTTP date); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return retryAfter.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Register {Provider} answered {StatusCode}: {Result}")]
    partial void LogLookup(string provider, int statusCode, DirectoryResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Register {Provider} throttles us (429) for {Wait}; the user types the fields meanwhile")]
    partial void LogThrottled(string provider, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Register {Provider} not called: still within its Retry-After")]
    partial void LogStillThrottled(string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Register {Provider} unavailable ({ErrorType}: {Error}); the user types the fields")]
    partial void LogUnavailable(string provider, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Register {Provider} refused our credentials or request ({StatusCode}): check its settings")]
    protected partial void LogMisconfigured(string provider, int statusCode);
}

/// <summary>
/// Reading helpers for register JSON: missing, null, blank and masked values (<c>[ND]</c> at INSEE,
/// <c>[NON-DIFFUSIBLE]</c> at recherche-entreprises) all read as null.
/// </summary>
public static class RegisterJson
{
    public const string Masked = "[ND]";
    public const string NonDiffusible = "[NON-DIFFUSIBLE]";

    public static bool IsMaskedValue(string? text) => text?.Trim() is Masked or NonDiffusible;

    public static string? Text(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        text = text?.Trim();
        return string.IsNullOrEmpty(text) || IsMaskedValue(text) ? null : text;
    }

    public static bool IsMasked(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
        && value.ValueKind == JsonValueKind.String && IsMaskedValue(value.GetString());

    public static JsonElement Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : default;

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>Joins the present parts with spaces; null when every part is missing, or when any is masked.</summary>
    public static string? Join(JsonElement element, params string[] names)
    {
        if (names.Any(n => element.IsMasked(n)))
        {
            return null;
        }

        string joined = string.Join(' ', names.Select(n => element.Text(n)).Where(p => p is not null));
        return joined.Length == 0 ? null : joined;
    }
}
