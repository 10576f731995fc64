namespace ChorusFunctions.Http;

/// <summary>Reads a JSON body defensively (content type, size, depth, unknown members): any failure is a 4xx problem, not an exception.</summary>
public static class RequestReader
{
    /// <summary>Signup bodies are small; anything larger is a mistake or an attack.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task<Outcome<T>> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return ApiProblem.Of(415, ErrorCodes.UnsupportedMediaType, "Type de contenu non pris en charge",
                "Le corps de la requête doit être du JSON (Content-Type: application/json).");
        }

        if (request.ContentLength > MaxBodyBytes || await ReadBoundedAsync(request.Body, cancellationToken) is not { } buffer)
        {
            return ApiProblem.Of(413, ErrorCodes.PayloadTooLarge, "Requête trop volumineuse",
                $"Le corps de la requête dépasse {MaxBodyBytes / 1024} Kio.");
        }

        try
        {
            T? value = JsonSerializer.Deserialize<T>(buffer, JsonDefaults.Api);
            return value is null ? Malformed("Le corps de la requête est vide.") : value;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            return Malformed(ex switch
            {
                JsonException { Path: { Length: > 1 } path } => $"Le JSON est invalide à l'emplacement {path}.",
                JsonException => "Le corps de la requête n'est pas un JSON valide.",
                NotSupportedException => "Le corps de la requête n'a pas la forme attendue.",
                _ => "Le corps de la requête contient des caractères invalides.", // invalid UTF-8 and similar transcoding failures
            });
        }
    }

    static bool IsJson(string? contentType) =>
        contentType?.Split(';', 2)[0].Trim() is { } mediaType
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The body, or null past <see cref="MaxBodyBytes"/>.</summary>
    static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (memory.Length + read > MaxBodyBytes)
            {
                return null;
            }

            memory.Write(chunk, 0, read);
        }

        return memory.ToArray();
    }

    static ApiProblem Malformed(string detail) => ApiProblem.Of(400, ErrorCodes.MalformedJson, "JSON invalide", detail);
}
