namespace ChorusFunctions.Signup;

/// <summary>A signup belongs to the browser holding step 1's cookie: an HMAC of its id, so a retry gets the same; the row keeps its SHA-256.</summary>
public sealed class SignupCookie(ActivationTokens ids, SignupStore signups) : ISignupAccess
{
    public const string Name = "chorus_signup";

    const string Purpose = "signup-owner";

    /// <summary>What <see cref="SignupEntity.OwnerHash"/> holds for a signup id.</summary>
    public static string HashFor(ActivationTokens ids, string signupId) => ActivationTokens.Hash(ids.Derive(signupId, Purpose));

    /// <summary>A session cookie on the signup's own path; <c>Secure</c> except for plain http on the loopback address.</summary>
    public void SetOwner(HttpRequest request, string signupId) =>
        request.HttpContext.Response.Cookies.Append(Name, ids.Derive(signupId, Purpose), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = !IsLocalHttp(request),
            Path = $"/api/signups/{signupId}",
        });

    /// <summary>Null when the request brings the signup's cookie; otherwise the 404 of an unknown id, which tells nothing.</summary>
    public async Task<ApiProblem?> CheckOwnerAsync(HttpRequest request, string signupId, CancellationToken cancellationToken)
    {
        string? secret = request.Cookies[Name];
        return SignupIds.IsWellFormed(signupId) && ActivationTokens.LooksValid(secret)
            && await signups.GetAsync(signupId, cancellationToken) is { OwnerHash: { } stored }
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ActivationTokens.Hash(secret!)), Encoding.ASCII.GetBytes(stored))
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
