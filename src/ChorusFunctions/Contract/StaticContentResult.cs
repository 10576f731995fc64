namespace ChorusFunctions.Contract;

/// <summary>Fixed bytes with their media type; by hand (like <see cref="Http.JsonBodyResult"/>): the local host has no MVC executors.</summary>
public sealed class StaticContentResult(byte[] content, string contentType) : IActionResult
{
    public byte[] Content { get; } = content;

    public string ContentType { get; } = contentType;

    /// <summary>Set when <see cref="Content"/> is gzip-compressed.</summary>
    public string? ContentEncoding { get; init; }

    public string CacheControl { get; init; } = "no-cache";

    public string? ContentSecurityPolicy { get; init; }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        HttpResponse response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = Content.Length;
        response.Headers.CacheControl = CacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        if (ContentEncoding is not null)
        {
            response.Headers.ContentEncoding = ContentEncoding;
            response.Headers.Vary = "Accept-Encoding";
        }

        if (ContentSecurityPolicy is not null)
        {
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        await response.Body.WriteAsync(Content, context.HttpContext.RequestAborted);
    }
}
