namespace ChorusFunctions.Http;

/// <summary>The <c>Idempotency-Key</c> header (IETF draft): a client-chosen unique value, sent again unchanged on a retry.</summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 255;

    /// <summary>The key (null without the header), or a 400 problem for a value that cannot be one.</summary>
    public static Outcome<string?> Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return (string?)null;
        }

        // The draft defines the value as a structured-field string ("…"); a bare token is accepted as well.
        string value = values.Count == 1 ? values[0]?.Trim() ?? "" : "";
        value = value is ['"', .., '"'] ? value[1..^1] : value;
        return value.Length is 0 or > MaxLength || !value.All(c => c is > ' ' and <= '~' && c != '"')
            ? ApiProblem.Validation(Header, "L'en-tête Idempotency-Key doit être une valeur unique de 1 à 255 caractères ASCII visibles.")
            : value;
    }
}
