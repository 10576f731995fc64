using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using WireMock;
using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace ChorusFunctions.Tests.Email;

/// <summary>
/// A clock for the ACS sender: fixed "now" (so x-ms-date is known), every wait recorded and skipped (so Retry-After
/// is checked without sleeping), time moving forward by each wait (so poll time-outs happen).
/// </summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    readonly Lock gate = new();
    DateTimeOffset now = start;
    readonly List<TimeSpan> waits = [];

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (gate)
            {
                return [.. waits];
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (gate)
        {
            waits.Add(dueTime);
            now += dueTime;
        }

        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}

/// <summary>A TokenCredential that hands out a fixed token and remembers the scopes asked for.</summary>
internal sealed class FakeCredential : TokenCredential
{
    public List<string> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.AddRange(requestContext.Scopes);
        return new AccessToken("fake-entra-token", DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

internal static class FakeAcs
{
    /// <summary>A WireMock server on 127.0.0.1 and a free port (never all interfaces).</summary>
    public static WireMockServer Start(bool https = false)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return WireMockServer.Start(new WireMockServerSettings
        {
            Urls = [$"{(https ? "https" : "http")}://127.0.0.1:{port}"],
            StartAdminInterface = false,
            ReadStaticMappings = false,
            CertificateSettings = https ? new WireMockCertificateSettings { X509Certificate = SelfSigned() } : null,
        });
    }

    /// <summary>A throw-away certificate for 127.0.0.1 (the machine has no developer certificate).</summary>
    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs the private key in a form it can load on Linux: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public static IReadOnlyList<IRequestMessage> Requests(this WireMockServer server) =>
        [.. server.LogEntries.Select(e => e.RequestMessage).OrderBy(r => r.DateTime)];

    public static string? Header(this IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
