namespace ChorusFunctions.Security;

/// <summary>The problems of the abuse controls. The 429s never say which limit was hit, nor for whom.</summary>
public static class SecurityProblems
{
    public static ApiProblem RateLimited(TimeSpan retryAfter) => TooMany(
        retryAfter, "Trop de requêtes", ErrorCodes.RateLimited, seconds => $"Trop de demandes en peu de temps. Réessayez dans {seconds}.");

    /// <summary>A signup's lifetime allowance of activation links is spent: only its expiry frees the address.</summary>
    public static ApiProblem LinksExhausted(TimeSpan retryAfter) => RateLimited(retryAfter) with
    {
        Detail = "Le nombre maximal de liens d'activation pour cette inscription est atteint. Utilisez le dernier lien reçu, ou recommencez votre inscription lorsqu'elle aura expiré.",
    };

    public static ApiProblem ActivationLocked(TimeSpan retryAfter) => TooMany(
        retryAfter, "Activation temporairement bloquée", ErrorCodes.ActivationLocked,
        seconds => $"Trop de tentatives d'activation ont échoué. Par sécurité, l'activation est bloquée : réessayez dans {seconds}.");

    /// <summary>A 429 whose detail says how long to wait, in the words of <paramref name="detail"/>.</summary>
    static ApiProblem TooMany(TimeSpan retryAfter, string title, string code, Func<string, string> detail)
    {
        int seconds = Seconds(retryAfter);
        return ApiProblem.Of(429, code, title, detail(Describe(seconds))) with { RetryAfterSeconds = seconds };
    }

    /// <summary>Whole seconds, at least 1: Retry-After: 0 would invite an immediate retry.</summary>
    public static int Seconds(TimeSpan retryAfter) => (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue);

    static string Describe(int seconds) => seconds < 120
        ? $"{seconds} seconde{(seconds > 1 ? "s" : "")}"
        : $"{(seconds + 59) / 60} minutes";
}
