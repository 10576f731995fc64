using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ChorusFunctions.Structures;

/// <summary>
/// An HTTP register looking SIRETs up through its named client's resilience pipeline. Any failure is
/// <see cref="DirectoryResult.Unavailable"/>, so the signup goes on; after a 429 too long to wait, nothing is sent until it has passed.
/// </summary>
public abstract partial class HttpStructureDirectory(IHttpClientFactory clients, string clientName, string providerName, TimeProvider time, ILogger logger)
    : IStructureDirectory
{
    /// <summary>Register answers are small; a larger body is a fault, not data.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    long throttledUntilTicks;

    public async Task<DirectoryLookup> LookupAsync(StructureIdentifier identifier, CancellationToken cancellationToken)
    {
        if (identifier.Type != IdentifierType.SIRET)
        {
            return DirectoryLookup.NotFound;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref throttledUntilTicks))
        {
            LogStillThrottled(providerName);
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
                LogThrottled(providerName, wait);
                return DirectoryLookup.Unavailable;
            }

            DirectoryLookup lookup = await InterpretAsync(identifier.Value, response, cancellationToken);
            LogLookup(providerName, (int)response.StatusCode, lookup.Result);
            return lookup;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            LogUnavailable(providerName, ex.GetType().Name, ex.Message);
            return DirectoryLookup.Unavailable;
        }
    }

    protected abstract HttpRequestMessage CreateRequest(string siret);

    /// <summary>The lookup a 200's payload says.</summary>
    protected abstract DirectoryLookup Map(string siret, JsonElement payload);

    /// <summary>What a status other than 200 and 429 says.</summary>
    protected virtual DirectoryLookup StatusLookup(HttpStatusCode status) => status == HttpStatusCode.NotFound ? DirectoryLookup.NotFound : DirectoryLookup.Unavailable;

    /// <summary>Statuses meaning that our request or credentials are wrong: an error to fix in the settings.</summary>
    protected virtual bool IsMisconfiguration(HttpStatusCode status) => status == HttpStatusCode.BadRequest;

    async Task<DirectoryLookup> InterpretAsync(string siret, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            if (IsMisconfiguration(response.StatusCode))
            {
                LogMisconfigured(providerName, (int)response.StatusCode);
            }

            return StatusLookup(response.StatusCode);
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using JsonDocument document = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { MaxDepth = 32 }, cancellationToken);
        return Map(siret, document.RootElement);
    }

    /// <summary>Retry-After as a delay (delta-seconds or HTTP date); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Register {Provider} answered {StatusCode}: {Result}")]
    partial void LogLookup(string provider, int statusCode, DirectoryResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Register {Provider} throttles us (429) for {Wait}; the user types the fields meanwhile")]
    partial void LogThrottled(string provider, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Register {Provider} not called: still within its Retry-After")]
    partial void LogStillThrottled(string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Register {Provider} unavailable ({ErrorType}: {Error}); the user types the fields")]
    partial void LogUnavailable(string provider, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Register {Provider} refused our credentials or request ({StatusCode}): check its settings")]
    partial void LogMisconfigured(string provider, int statusCode);
}

/// <summary>Register JSON readers: missing, null, blank and masked values (<c>[ND]</c>, <c>[NON-DIFFUSIBLE]</c>) all read as null.</summary>
public static class RegisterJson
{
    public const string Masked = "[ND]";
    public const string NonDiffusible = "[NON-DIFFUSIBLE]";

    public static bool IsMaskedValue(string? text) => text?.Trim() is Masked or NonDiffusible;

    public static string? Text(this JsonElement element, string name)
    {
        string? text = element.Child(name) switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString()?.Trim(),
            { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) || IsMaskedValue(text) ? null : text;
    }

    public static bool IsMasked(this JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.String } value && IsMaskedValue(value.GetString());

    public static JsonElement Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : default;

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>
    /// Joins the present parts with spaces, each as <paramref name="spell"/> (name, text) writes it if given; null when
    /// every part is missing, or when any is masked.
    /// </summary>
    public static string? Join(JsonElement element, string[] names, Func<string, string, string>? spell = null)
    {
        if (names.Any(n => element.IsMasked(n)))
        {
            return null;
        }

        string joined = string.Join(' ', names.Select(n => element.Text(n) is { } text ? spell?.Invoke(n, text) ?? text : null).OfType<string>());
        return joined.Length == 0 ? null : joined;
    }
}
