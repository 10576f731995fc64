using ChorusFunctions.Activation;
using ChorusFunctions.Security;
using ChorusFunctions.Signup;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Rules;

/// <summary>The signup cookie's attributes, and its secret's link to the hash on the row.</summary>
public sealed class SignupCookieRulesTests
{
    const string SignupId = "3f2b8c1d9e4a4b6f8a7c5d2e1f0a9b8c";

    static readonly ActivationTokens Ids = new(Options.Create(new SecurityOptions { TokenKey = Testing.LocalStack.TestTokenKey }));

    [Theory]
    [InlineData("http", "127.0.0.1:7071", null, false)]
    [InlineData("http", "localhost:7071", null, false)]
    [InlineData("http", "localhost:7071", "https", true)]
    [InlineData("https", "localhost:7071", null, true)]
    [InlineData("https", "chorus.example", null, true)]
    [InlineData("http", "chorus.example", null, true)]
    [InlineData("http", "127.0.0.1.chorus.example", null, true)]
    public void Secure_is_left_out_only_for_plain_http_on_the_loopback_address(string scheme, string host, string? forwardedProto, bool secure)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        if (forwardedProto is not null)
        {
            context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
        }

        new SignupCookie(Ids, null!).SetOwner(context.Request, SignupId);

        string[] parts = context.Response.Headers.SetCookie.Single()!.Split(';', StringSplitOptions.TrimEntries);
        string secret = parts[0][(SignupCookie.Name.Length + 1)..];
        Assert.Equal(secure, parts.Contains("secure", StringComparer.OrdinalIgnoreCase));
        Assert.Contains("httponly", parts, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", parts, StringComparer.OrdinalIgnoreCase);
        Assert.Contains($"path=/api/signups/{SignupId}", parts, StringComparer.OrdinalIgnoreCase);
        Assert.True(ActivationTokens.LooksValid(secret));
        Assert.Equal(SignupCookie.HashFor(Ids, SignupId), ActivationTokens.Hash(secret));
        Assert.NotEqual(SignupCookie.HashFor(Ids, SignupId), SignupCookie.HashFor(Ids, "0" + SignupId[1..]));
    }
}
