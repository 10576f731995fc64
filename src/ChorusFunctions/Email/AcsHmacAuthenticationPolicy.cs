using Azure.Core;
using Azure.Core.Pipeline;

namespace ChorusFunctions.Email;

/// <summary>ACS access-key HMAC-SHA256 signing; a per-retry policy, so a request sent again carries a fresh date.</summary>
internal sealed class AcsHmacAuthenticationPolicy(string accessKey, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    readonly byte[] key = Convert.FromBase64String(accessKey);

    public override void OnSendingRequest(HttpMessage message)
    {
        Request request = message.Request;
        string contentHash = ContentHash(request.Content, message.CancellationToken);
        string date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        Uri uri = request.Uri.ToUri();

        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue(HttpHeader.Names.Authorization,
            $"HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature={Sign(key, request.Method.Method, uri.PathAndQuery, date, uri.Authority, contentHash)}");
    }

    public static string Sign(byte[] key, string method, string pathAndQuery, string date, string host, string contentHash)
    {
        string stringToSign = $"{method}\n{pathAndQuery}\n{date};{host};{contentHash}";
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    static string ContentHash(RequestContent? content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        content?.WriteTo(buffer, cancellationToken);
        return Convert.ToBase64String(SHA256.HashData(buffer.ToArray()));
    }
}
