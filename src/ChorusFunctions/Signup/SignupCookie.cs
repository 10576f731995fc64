namespace ChorusFunctions.Signup;

/// <summary>
/// A signup's data belongs to the browser that started it: step 1's answer sets a cookie holding a 256-bit secret,
/// and every request on the signup (GET, PUT, DELETE, a new link) must bring it back. The secret is derived as
/// HMAC-SHA256(server key, "signup-owner:" + signup id), like activation tokens, so a retried step 1 (same
/// <c>Idempotency-Key</c>, hence the same id) gets the very same cookie even when the first answer was lost, and
/// nothing secret enters storage or logs: the row keeps only its SHA-256 (<see cref="SignupEntity.OwnerHash"/>),
/// compared in constant time. The check is at the trigger edge so the service stays callable without HTTP.
/// </summary>
public sealed class SignupCookie(ActivationTokens ids, SignupStore signups) : ISignupAccess
{
    public const string Name = "chorus_signup";

    const string Purpose = "signup-owner";

    /// <summary>What <see cref="SignupEntity.OwnerHash"/> holds for a signup id.</summary>
    public static string HashFor(ActivationTokens ids, string signupId) => ActivationTokens.Hash(ids.Derive(signupId, Purpose));

    /// <summary>
    /// Sets the cookie on the response. Scoped to the signup's own path, so a browser with several signups sends
    /// each only its own; a session cookie, gone with the browser session like the front end's sessionStorage.
    /// <c>Secure</c> is left out only for plain http on the loopback address (the local stack and its tests).
    /// </summary>
    public void SetOwner(HttpRequest request, string signupId) =>
        request.HttpContext.Response.Cookies.Append(Name, ids.Derive(signupId, Purpose), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = !IsLocalHttp(request),
            Path = $"/api/signups/{signupId}",
        });

    /// <summary>
    /// Null when the request brings the signup's cookie; otherwise the very 404 of an unknown id, so a wrong or
    /// missing cookie tells nothing about whether the signup exists.
    /// </summary>
    public async Task<ApiProblem?> CheckOwnerAsync(HttpRequest request, string signupId, CancellationToken cancellationToken)
    {
        string? secret = request.Cookies[Name];
        if (!SignupIds.IsWellFormed(signupId) || !ActivationTokens.LooksValid(secret)
            || await signups.GetAsync(signupId, cancellationToken) is not { OwnerHash: { } stored })
        {
            return ApiProblem.SignupNotFound();
        }

        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(ActivationTokens.Hash(secret!)), System.Text.Encoding.ASCII.GetBytes(stored))
            ? null
            : ApiProblem.SignupNotFound();
    }

    public async Task<string?> LinkMailboxAsync(string signupId, CancellationToken cancellationToken) =>
        await signups.GetAsync(signupId, cancellationToken) is { Status: SignupStatus.AwaitingActivation } signup ? signup.LoginEmail : null;

    static bool IsLocalHttp(HttpRequest request) =>
        !request.IsHttps
        && request.Host.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1"
        && !string.Equals(request.Headers["X-Forwarded-Proto"], "https", StringComparison.OrdinalIgnoreCase);
}
