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

    public static ApiProblem Validation(IReadOnlyDictionary<string, string[]> errors) => new()
    {
        Title = "Données invalides",
        Status = 400,
        Code = ErrorCodes.ValidationFailed,
        Detail = "Certaines informations saisies sont incorrectes. Corrigez les champs signalés.",
        Errors = errors,
    };

    public static ApiProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblem SignupNotFound() => new()
    {
        Title = "Inscription introuvable",
        Status = 404,
        Code = ErrorCodes.SignupNotFound,
        Detail = "Aucune inscription ne correspond à cet identifiant.",
    };

    public static ApiProblem SignupExpired() => new()
    {
        Title = "Inscription expirée",
        Status = 410,
        Code = ErrorCodes.SignupExpired,
        Detail = "Cette inscription a expiré ou a été annulée. Recommencez votre inscription.",
    };

    public static ApiProblem StepOutOfOrder(string currentStatus) => new()
    {
        Title = "Étape non disponible",
        Status = 409,
        Code = ErrorCodes.StepOutOfOrder,
        Detail = "Cette étape ne correspond pas à l'état actuel de votre inscription.",
        Extensions = new() { ["currentStatus"] = currentStatus },
    };

    public static ApiProblem IdempotencyKeyReused() => new()
    {
        Title = "Clé d'idempotence déjà utilisée",
        Status = 422,
        Code = ErrorCodes.IdempotencyKeyReused,
        Detail = "Cette demande porte la clé d'une autre demande, ou d'une inscription qui a déjà dépassé sa première étape. Recommencez l'inscription.",
        Errors = new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Cette clé a déjà servi pour une autre demande."] },
    };
}
