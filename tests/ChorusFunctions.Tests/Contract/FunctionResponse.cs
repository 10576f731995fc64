using System.Text;
using ChorusFunctions.Testing.Contract;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace ChorusFunctions.Tests.Contract;

/// <summary>A response as a function's <see cref="IActionResult"/> writes it, without any host.</summary>
public sealed record FunctionResponse(int Status, string? ContentType, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public static HttpRequest Request(string method = "GET", string? contentType = null, string? body = null, string? acceptEncoding = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.ContentType = contentType;
        if (acceptEncoding is not null)
        {
            context.Request.Headers.AcceptEncoding = acceptEncoding;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(body ?? "");
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        return context.Request;
    }

    /// <summary>Runs the result as both hosts do (they call ExecuteResultAsync on a plain ActionContext).</summary>
    /// <param name="context">A context the function already wrote to (a cookie it set), or a fresh one.</param>
    public static async Task<FunctionResponse> ExecuteAsync(IActionResult result, DefaultHttpContext? context = null)
    {
        context ??= new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new FunctionResponse(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()), headers);
    }

    public ContractCheck CheckAgainst(string method, string path) =>
        ContractValidator.Default.Check(method, path, Status, ContentType, Body, Headers);
}
