using Microsoft.Azure.Functions.Worker.Middleware;

namespace ChorusFunctions.Http;

/// <summary>Security headers, and a 500 problem (never a stack trace) on a throw; the local host calls <see cref="RunAsync"/> alike.</summary>
public sealed partial class ApiResponseMiddleware(ILogger<ApiResponseMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
        }
        else if (await RunAsync(http, context.FunctionDefinition.Name, () => next(context)) is { } failure)
        {
            // The worker's ASP.NET Core integration (the outer middleware) executes whatever IActionResult the
            // invocation result holds, so the problem replaces the result the function never returned.
            context.GetInvocationResult().Value = failure;
        }
    }

    /// <summary>Sets the headers and runs the function: null when it completed, else the response for a throw before any write.</summary>
    public async Task<IActionResult?> RunAsync(HttpContext http, string function, Func<Task> invoke)
    {
        // API responses are data, never rendered: no sniffing. (Page headers belong to whoever serves the pages.)
        http.Response.Headers.XContentTypeOptions = "nosniff";
        try
        {
            await invoke();
            return null;
        }
        catch (Exception error) when (!http.Response.HasStarted)
        {
            if (error is BadHttpRequestException bad)
            {
                LogUnreadableRequest(function, bad.StatusCode);
            }
            else
            {
                LogUnhandled(error, function);
            }

            return ApiResponses.ForException(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed; answered 500 internal_error")]
    partial void LogUnhandled(Exception exception, string function);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: the request could not be read ({Status})")]
    partial void LogUnreadableRequest(string function, int status);
}

/// <summary>The problem of <see cref="ApiResponseMiddleware"/>, in one place for both hosts.</summary>
public static class ApiResponses
{
    /// <summary>A request Kestrel could not read (over the server's limit, malformed framing) is the client's fault, not a 500.</summary>
    public static IActionResult ForException(Exception error) => ApiResults.Problem(error is BadHttpRequestException bad
        ? ApiProblem.Of(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.PayloadTooLarge : ErrorCodes.MalformedJson,
            "Requête invalide", "La requête n'a pas pu être lue.")
        : ApiProblem.Of(500, ErrorCodes.InternalError, "Erreur interne",
            "Une erreur inattendue est survenue. Vos informations sont conservées : réessayez dans quelques instants."));
}
