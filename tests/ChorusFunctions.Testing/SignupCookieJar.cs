using System.Collections.Concurrent;

namespace ChorusFunctions.Testing;

/// <summary>
/// Keeps the cookies the API sets, as a browser would, for clients that drive it over HTTP (tests, the load tool):
/// each <c>Set-Cookie</c> is kept under its <c>Path</c> and sent back on every request below that path. A request
/// that carries its own <c>Cookie</c> header is sent as it is. Not a <see cref="System.Net.CookieContainer"/>: that
/// keeps at most 20 cookies per host by default, and a test or load run holds hundreds of signups on 127.0.0.1.
/// The API sets one cookie per path (a signup's), which is all this keeps.
/// </summary>
/// <param name="kept">The cookies of an earlier jar to go on with (a client made anew after a host restart).</param>
public sealed class SignupCookieJar(HttpMessageHandler inner, ConcurrentDictionary<string, string>? kept = null) : DelegatingHandler(inner)
{
    readonly ConcurrentDictionary<string, string> byPath = kept ?? new(StringComparer.Ordinal);

    /// <summary>The cookies kept, by path.</summary>
    public ConcurrentDictionary<string, string> Kept => byPath;

    /// <summary>The <c>name=value</c> kept for exactly this path, if any.</summary>
    public string? CookieAt(string path) => byPath.GetValueOrDefault(path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.Contains("Cookie") && request.RequestUri is { IsAbsoluteUri: true } uri && Find(uri.AbsolutePath) is { } cookie)
        {
            request.Headers.Add("Cookie", cookie);
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values))
        {
            foreach (string value in values)
            {
                Keep(value);
            }
        }

        return response;
    }

    /// <summary>The cookie of the longest kept path that is the request's path or a segment-wise prefix of it.</summary>
    string? Find(string path)
    {
        for (string prefix = path; prefix.Length > 0; prefix = prefix[..prefix.LastIndexOf('/')])
        {
            if (byPath.TryGetValue(prefix, out string? cookie))
            {
                return cookie;
            }
        }

        return null;
    }

    void Keep(string setCookie)
    {
        string[] parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        string? path = parts.Skip(1).Where(p => p.StartsWith("path=", StringComparison.OrdinalIgnoreCase)).Select(p => p[5..]).FirstOrDefault();
        if (path is { Length: > 1 } && parts[0].Contains('='))
        {
            byPath[path.TrimEnd('/')] = parts[0];
        }
    }
}
