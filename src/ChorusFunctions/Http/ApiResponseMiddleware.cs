using Microsoft.Azure.Functions.Worker.Middleware;

namespace ChorusFunctions.Http;

/// <summary>
/// What every API response owes the contract, whichever host runs the function: the API's security headers, and a
/// <c>500 internal_error</c> problem (never a stack trace or an empty 500) when a function throws. The Functions host
/// runs it as worker middleware; the local host calls <see cref="RunAsync"/> around each HTTP function it invokes,
/// so both answer with the same bytes.
/// </summary>
public sealed partial class ApiResponseMiddleware(ILogger<ApiResponseMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        // The worker's ASP.NET Core integration (the outer middleware) executes whatever IActionResult the
        // invocation result holds, so the problem replaces the result the function never returned.
        IActionResult? failure = await RunAsync(http, context.FunctionDefinition.Name, () => next(context));
        if (failure is not null)
        {
            context.GetInvocationResult().Value = failure;
        }
    }

    /// <summary>
    /// Sets the API's headers, then runs the function. Returns null when it completed, or the response to send in its
    /// place when it threw before anything was written.
    /// </summary>
    public async Task<IActionResult?> RunAsync(HttpContext http, string function, Func<Task> invoke)
    {
        ApiResponses.ApplySecurityHeaders(http.Response);
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

/// <summary>The responses and headers of <see cref="ApiResponseMiddleware"/>, in one place for both hosts.</summary>
public static class ApiResponses
{
    /// <summary>
    /// API responses are data, never rendered: no content sniffing. (The front end's own headers — CSP, framing,
    /// referrer — belong to whoever serves the pages: staticwebapp.config.json in Azure, the local host here.)
    /// </summary>
    public static void ApplySecurityHeaders(HttpResponse response) => response.Headers.XContentTypeOptions = "nosniff";

    public static ApiProblem InternalError() => new()
    {
        Title = "Erreur interne",
        Status = StatusCodes.Status500InternalServerError,
        Code = ErrorCodes.InternalError,
        Detail = "Une erreur inattendue est survenue. Vos informations sont conservées : réessayez dans quelques instants.",
    };

    /// <summary>
    /// The problem for an exception that escaped a function. A request Kestrel could not read (body over the server's
    /// limit, malformed framing) is the client's fault, not a 500.
    /// </summary>
    public static IActionResult ForException(Exception error) => ApiResults.Problem(error is BadHttpRequestException bad
        ? new ApiProblem
        {
            Title = "Requête invalide",
            Status = bad.StatusCode,
            Code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.PayloadTooLarge : ErrorCodes.MalformedJson,
            Detail = "La requête n'a pas pu être lue.",
        }
        : InternalError());
}
