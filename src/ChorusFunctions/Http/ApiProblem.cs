namespace ChorusFunctions.Http;

/// <summary>An RFC 9457 problem detail with a stable <see cref="Code"/> and French <see cref="Detail"/>.</summary>
public sealed record ApiProblem
{
    public string Type => $"https://chorusfunctions.example/problems/{Code.Replace('_', '-')}";

    public required string Title { get; init; }

    public required int Status { get; init; }

    public required string Detail { get; init; }

    public required string Code { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Extra members (RFC 9457 §3.2), such as the signup id on an expired link.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? Extensions { get; init; }

    /// <summary>Seconds the client should wait (429), sent as the Retry-After header.</summary>
    [JsonIgnore]
    public int? RetryAfterSeconds { get; init; }

    public static ApiProblem Of(int status, string code, string title, string detail) =>
        new() { Status = status, Code = code, Title = title, Detail = detail };

    public static ApiProblem Validation(IReadOnlyDictionary<string, string[]> errors) => Of(400, ErrorCodes.ValidationFailed, "Données invalides",
        "Certaines informations saisies sont incorrectes. Corrigez les champs signalés.")
        with { Errors = errors };

    public static ApiProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblem SignupNotFound() => Of(404, ErrorCodes.SignupNotFound, "Inscription introuvable",
        "Aucune inscription ne correspond à cet identifiant.");

    public static ApiProblem SignupExpired() => Of(410, ErrorCodes.SignupExpired, "Inscription expirée",
        "Cette inscription a expiré ou a été annulée. Recommencez votre inscription.");

    public static ApiProblem StepOutOfOrder(string currentStatus) => Of(409, ErrorCodes.StepOutOfOrder, "Étape non disponible",
        "Cette étape ne correspond pas à l'état actuel de votre inscription.")
        with { Extensions = new() { ["currentStatus"] = currentStatus } };

    public static ApiProblem IdempotencyKeyReused() => Of(422, ErrorCodes.IdempotencyKeyReused, "Clé d'idempotence déjà utilisée",
        "Cette demande porte la clé d'une autre demande, ou d'une inscription qui a déjà dépassé sa première étape. Recommencez l'inscription.")
        with { Errors = new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Cette clé a déjà servi pour une autre demande."] } };
}
