using System.Text.Encodings.Web;

namespace ChorusFunctions.Http;

/// <summary>The one JSON configuration of the public API, identical in both hosts.</summary>
public static class JsonDefaults
{
    public const int MaxDepth = 16;

    public static JsonSerializerOptions Api { get; } = new(JsonSerializerDefaults.Web)
    {
        // Unknown members are a client bug or a probe: refuse them rather than silently ignore.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = MaxDepth,
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    static JsonDefaults() => Api.MakeReadOnly(populateMissingResolver: true);
}
