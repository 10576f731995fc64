namespace ChorusFunctions.Http;

/// <summary>
/// Reads a JSON request body defensively: content type, size, depth and unknown members are checked, and any
/// failure becomes a 4xx problem instead of an exception.
/// </summary>
public static class RequestReader
{
    /// <summary>Signup bodies are small; anything larger is a mistake or an attack.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task<Outcome<T>> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return new ApiProblem
            {
                Title = "Type de contenu non pris en charge",
                Status = StatusCodes.Status415UnsupportedMediaType,
                Code = ErrorCodes.UnsupportedMediaType,
                Detail = "Le corps de la requête doit être du JSON (Content-Type: application/json).",
            };
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        byte[] buffer;
        try
        {
            buffer = await ReadBoundedAsync(request.Body, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return TooLarge();
        }

        try
        {
            T? value = JsonSerializer.Deserialize<T>(buffer, JsonDefaults.Api);
            return value is null ? Malformed("Le corps de la requête est vide.") : value;
        }
        catch (JsonException ex)
        {
            return Malformed(ex.Path is { Length: > 1 } path
                ? $"Le JSON est invalide à l'emplacement {path}."
                : "Le corps de la requête n'est pas un JSON valide.");
        }
        catch (NotSupportedException)
        {
            return Malformed("Le corps de la requête n'a pas la forme attendue.");
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 and similar transcoding failures.
            return Malformed("Le corps de la requête contient des caractères invalides.");
        }
    }

    static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        string mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (memory.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException("Body too large.");
            }

            memory.Write(chunk, 0, read);
        }

        return memory.ToArray();
    }

    static ApiProblem TooLarge() => new()
    {
        Title = "Requête trop volumineuse",
        Status = StatusCodes.Status413PayloadTooLarge,
        Code = ErrorCodes.PayloadTooLarge,
        Detail = $"Le corps de la requête dépasse {MaxBodyBytes / 1024} Kio.",
    };

    static ApiProblem Malformed(string detail) => new()
    {
        Title = "JSON invalide",
        Status = StatusCodes.Status400BadRequest,
        Code = ErrorCodes.MalformedJson,
        Detail = detail,
    };
}
