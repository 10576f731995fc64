using System.Collections.Immutable;
using System.Net;
using System.Reflection;
using ChorusFunctions.Http;
using ChorusFunctions.LocalHost;
using ChorusFunctions.LocalHost.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Context.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChorusFunctions.Tests.Pipeline;

/// <summary>
/// The product's middleware answers the same on both hosts: run by the Functions worker (its ASP.NET Core
/// integration executes the invocation result) and by the local host around the function it invokes.
/// </summary>
public sealed class ApiResponseMiddlewareTests
{
    public sealed record Answer(HttpStatusCode Status, string? ContentType, string? CacheControl, string? NoSniff, string Body);

    [Theory]
    [InlineData(nameof(SampleFunctions.Throws))]
    [InlineData(nameof(SampleFunctions.Unreadable))]
    [InlineData(nameof(SampleFunctions.Succeeds))]
    public async Task Both_hosts_answer_with_the_same_response(string function)
    {
        Answer worker = await ThroughWorkerMiddlewareAsync(function);
        Answer local = await ThroughLocalHostAsync(HttpMethod.Get, "api/sample/" + function.ToLowerInvariant());
        Assert.Equal(worker, local);
        Assert.Equal("nosniff", worker.NoSniff);
    }

    [Fact]
    public async Task An_exception_becomes_the_contracts_internal_error_problem()
    {
        Answer answer = await ThroughWorkerMiddlewareAsync(nameof(SampleFunctions.Throws));
        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("application/problem+json; charset=utf-8", answer.ContentType);
        Assert.Equal("no-store", answer.CacheControl);
        Assert.Contains("\"code\":\"internal_error\"", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", answer.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_request_the_server_could_not_read_is_the_clients_fault()
    {
        Answer answer = await ThroughWorkerMiddlewareAsync(nameof(SampleFunctions.Unreadable));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Contains("\"code\":\"payload_too_large\"", answer.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "api/nothing-here")]
    [InlineData("DELETE", "api/sample/succeeds")]
    public async Task Unmatched_api_addresses_answer_like_the_functions_host(string method, string path)
    {
        Answer answer = await ThroughLocalHostAsync(new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("", answer.Body);
    }

    static async Task<Answer> ThroughWorkerMiddlewareAsync(string function)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        http.Request.Method = "GET";
        http.Response.Body = new MemoryStream();
        var context = new WorkerContext(function, http);
        var middleware = new ApiResponseMiddleware(NullLogger<ApiResponseMiddleware>.Instance);

        await middleware.Invoke(context, async c =>
        {
            MethodInfo method = typeof(SampleFunctions).GetMethod(function)!;
            c.GetInvocationResult().Value = await FunctionCatalog.AwaitResultAsync(method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [http.Request], null));
        });

        // What the worker's ASP.NET Core integration does next with the invocation result.
        var result = (IActionResult)context.GetInvocationResult().Value!;
        await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));

        http.Response.Body.Position = 0;
        return new Answer((HttpStatusCode)http.Response.StatusCode, http.Response.ContentType, http.Response.Headers.CacheControl.ToString(),
            http.Response.Headers.XContentTypeOptions.ToString(), await new StreamReader(http.Response.Body).ReadToEndAsync());
    }

    /// <summary>The local host's pipeline (the one LocalHostApplication builds) in memory, serving <see cref="SampleFunctions"/>.</summary>
    internal static async Task<WebApplication> StartLocalHostPipelineAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRouting();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ChorusFunctions.LocalHost.Telemetry.LocalMetrics>();
        builder.Services.AddSingleton<ApiResponseMiddleware>();
        builder.Services.AddWorkerForwardedHeaders();
        WebApplication app = builder.Build();
        LocalHostApplication.ConfigurePipeline(app, FunctionCatalog.Load([typeof(SampleFunctions)]));
        await app.StartAsync();
        return app;
    }

    static async Task<Answer> ThroughLocalHostAsync(HttpMethod method, string path)
    {
        await using WebApplication app = await StartLocalHostPipelineAsync();
        using HttpClient client = app.GetTestClient();
        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(method, path));
        string? noSniff = response.Headers.TryGetValues("X-Content-Type-Options", out IEnumerable<string>? values) ? string.Join(",", values) : null;
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Headers.CacheControl?.ToString(),
            noSniff, await response.Content.ReadAsStringAsync());
    }

    public static class SampleFunctions
    {
        [Function(nameof(Throws))]
        public static Task<IActionResult> Throws([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sample/throws")] HttpRequest request) =>
            throw new InvalidOperationException("boom: a secret detail");

        [Function(nameof(Unreadable))]
        public static IActionResult Unreadable([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sample/unreadable")] HttpRequest request) =>
            throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);

        [Function(nameof(Caller))]
        public static IActionResult Caller([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sample/caller")] HttpRequest request) =>
            ApiResults.Ok(new { address = request.HttpContext.Connection.RemoteIpAddress?.ToString(), scheme = request.Scheme, host = request.Host.Value });

        [Function(nameof(Succeeds))]
        public static IActionResult Succeeds([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sample/succeeds")] HttpRequest request) =>
            ApiResults.Ok(new { ok = true });
    }

    /// <summary>The parts of the worker's function context the middleware and the integration read.</summary>
    sealed class WorkerContext : FunctionContext
    {
        public WorkerContext(string function, HttpContext http)
        {
            FunctionDefinition = new Definition(function);
            Items = new Dictionary<object, object> { ["HttpRequestContext"] = http };
        }

        public override string InvocationId => "invocation";

        public override string FunctionId => FunctionDefinition.Id;

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = new ServiceCollection().BuildServiceProvider();

        public override FunctionDefinition FunctionDefinition { get; }

        public override IDictionary<object, object> Items { get; set; }

        public override IInvocationFeatures Features { get; } = new Features();
    }

    /// <summary>The worker keeps the invocation result in an internal feature; a proxy stands in for it.</summary>
    sealed class Features : IInvocationFeatures
    {
        readonly Dictionary<Type, object> features = [];

        public void Set<T>(T instance) => features[typeof(T)] = instance!;

        public T? Get<T>()
        {
            if (!features.TryGetValue(typeof(T), out object? feature) && typeof(T).Name == "IFunctionBindingsFeature")
            {
                feature = features[typeof(T)] = DispatchProxy.Create(typeof(T), typeof(BindingsFeature));
            }

            return (T?)feature;
        }

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => features.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public class BindingsFeature : DispatchProxy
    {
        object? invocationResult;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            switch (targetMethod?.Name)
            {
                case "get_InvocationResult":
                    return invocationResult;
                case "set_InvocationResult":
                    invocationResult = args![0];
                    return null;
                default:
                    throw new NotSupportedException(targetMethod?.Name);
            }
        }
    }

    sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(SampleFunctions).Assembly.Location;

        public override string EntryPoint => $"{typeof(SampleFunctions).FullName}.{name}";

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
