namespace ChorusFunctions.Http;

/// <summary>Writes its JSON itself, not through MVC formatters, so both hosts produce byte-identical responses.</summary>
public sealed class JsonBodyResult(int statusCode, object? body, string contentType = "application/json; charset=utf-8") : IActionResult
{
    public int StatusCode { get; } = statusCode;

    public object? Body { get; } = body;

    public string? Location { get; init; }

    public int? RetryAfterSeconds { get; init; }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        HttpResponse response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        response.Headers.CacheControl = "no-store";
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (Body is not null)
        {
            response.ContentType = contentType;
            await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), JsonDefaults.Api, context.HttpContext.RequestAborted);
        }
    }
}

/// <summary>Maps results to HTTP responses; the triggers stay thin.</summary>
public static class ApiResults
{
    public static IActionResult Ok(object body) => new JsonBodyResult(StatusCodes.Status200OK, body);

    public static IActionResult Created(string location, object body) =>
        new JsonBodyResult(StatusCodes.Status201Created, body) { Location = location };

    public static IActionResult Accepted(string location, object? body = null) =>
        new JsonBodyResult(StatusCodes.Status202Accepted, body) { Location = location };

    /// <summary>A 202 without body nor Location: nothing to name.</summary>
    public static IActionResult Accepted() => new JsonBodyResult(StatusCodes.Status202Accepted, null);

    public static IActionResult Problem(ApiProblem problem) =>
        new JsonBodyResult(problem.Status, problem, "application/problem+json; charset=utf-8") { RetryAfterSeconds = problem.RetryAfterSeconds };

    public static IActionResult From<T>(Outcome<T> outcome, Func<T, IActionResult> onSuccess) =>
        outcome.Problem is { } problem ? Problem(problem) : onSuccess(outcome.Value!);
}
