using ChorusFunctions.Http;
using ChorusFunctions.LocalHost.Durable;
using ChorusFunctions.LocalHost.Functions;
using ChorusFunctions.LocalHost.Security;
using ChorusFunctions.Storage;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.LocalHost;

/// <summary>
/// The local host: runs the Functions assembly's own function methods — HTTP triggers on Kestrel, orchestrations
/// and activities on a Durable Task worker over the Azure Storage backend (Azurite), timers on their schedules —
/// and serves the static front end, all on one origin.
/// </summary>
public static class LocalHostApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        configure?.Invoke(builder);

        FunctionCatalog catalog = FunctionCatalog.Load(typeof(ServiceRegistration).Assembly);
        IConfiguration configuration = builder.Configuration;
        IServiceCollection services = builder.Services;

        services.AddChorusFunctions(configuration);
        services.AddHostCors(configuration); // CORS limited to Host__CorsOrigins.

        string connectionString = configuration[StorageRegistration.ConnectionSetting]
            ?? throw new InvalidOperationException("The local host needs AzureWebJobsStorage (the Azurite connection string).");
        DurableOptions durableOptions = configuration.GetSection(DurableOptions.Section).Get<DurableOptions>() ?? new DurableOptions();
        services.AddSingleton(sp => new DurableSidecar(connectionString, durableOptions, sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<DurableSidecar>());
        services.AddSingleton(sp => GrpcChannel.ForAddress(sp.GetRequiredService<DurableSidecar>().Address));
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc();
            worker.AddTasks(registry => FunctionTasks.Register(registry, catalog));
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.RegisterDirectly();
        });
        services.AddOptions<Microsoft.DurableTask.Worker.Grpc.GrpcDurableTaskWorkerOptions>(Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<GrpcChannel>((o, channel) => o.Channel = channel);
        services.AddOptions<Microsoft.DurableTask.Client.Grpc.GrpcDurableTaskClientOptions>(Microsoft.Extensions.Options.Options.DefaultName)
            .Configure<GrpcChannel>((o, channel) => o.Channel = channel);

        foreach (TimerFunction timer in catalog.Timers)
        {
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<TimerFunctionRunner>(sp, timer));
        }

        services.AddWorkerForwardedHeaders();
        services.AddSingleton(catalog);
        services.AddSingleton<ApiResponseMiddleware>();
        services.AddSingleton<Telemetry.LocalMetrics>();
        services.AddRouting();

        WebApplication app = builder.Build();
        ConfigurePipeline(app, catalog);
        return app;
    }

    internal static void ConfigurePipeline(WebApplication app, FunctionCatalog catalog)
    {
        // First, as in the worker's pipeline: every later step (CORS, the client address of the abuse controls) sees the forwarded values.
        app.UseForwardedHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledProblemAsync });
        app.UseHostCors(app.Configuration);
        app.Use(UnmatchedApiLikeFunctionsHostAsync);
        app.Use(FrontEndSecurityHeadersAsync);

        string webRoot = app.Configuration["LocalHost:WebRoot"] ?? Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(webRoot))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(webRoot));
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            app.MapGet("/activation", context => SendFileAsync(context, files, "activation.html"));
            app.MapGet("/rattachement", context => SendFileAsync(context, files, "rattachement.html"));
        }

        app.UseRouting();
        app.MapHttpFunctions(catalog);

        // Local only (not under /api, not in Azure): what the product's meter recorded, as JSON.
        Telemetry.LocalMetrics metrics = app.Services.GetRequiredService<Telemetry.LocalMetrics>();
        app.MapGet("/local/metrics", () => Results.Json(metrics.Snapshot(), JsonDefaults.Api));
    }

    /// <summary>
    /// The forwarded-headers options the worker's ASP.NET Core integration configures (ConfigureAspNetCoreIntegration in
    /// FunctionsHostBuilderExtensions.cs of Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore): every
    /// X-Forwarded-* header, otherwise ASP.NET Core's defaults — one hop, forwarded only from a loopback peer, which in
    /// Azure is the Functions host proxying to the worker.
    /// </summary>
    internal static IServiceCollection AddWorkerForwardedHeaders(this IServiceCollection services) =>
        services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.All);

    static async Task SendFileAsync(HttpContext context, IFileProvider files, string name)
    {
        IFileInfo file = files.GetFileInfo(name);
        if (!file.Exists)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.SendFileAsync(file);
    }

    /// <summary>
    /// Security headers for the front end (staticwebapp.config.json sets them in Azure); the pages opened from an emailed
    /// token link never leak it in a Referer. API responses get theirs from the product's middleware.
    /// </summary>
    static Task FrontEndSecurityHeadersAsync(HttpContext context, Func<Task> next)
    {
        IHeaderDictionary headers = context.Response.Headers;
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; connect-src 'self'; " +
                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = IsTokenPage(context.Request.Path) ? "no-referrer" : "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        }

        return next();
    }

    /// <summary>The activation and joining-request pages (and their .html files) carry a token in their address.</summary>
    static bool IsTokenPage(PathString path) =>
        path.StartsWithSegments("/activation") || path.StartsWithSegments("/activation.html")
        || path.StartsWithSegments("/rattachement") || path.StartsWithSegments("/rattachement.html");

    /// <summary>
    /// Unknown API routes and wrong methods answer as the Functions host does, since no function runs for them: an
    /// empty 404, the wrong method included (the host's router does not tell the two apart).
    /// </summary>
    static async Task UnmatchedApiLikeFunctionsHostAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (!context.Response.HasStarted && context.Request.Path.StartsWithSegments("/api")
            && context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.Headers.Allow = default;
        }
    }

    /// <summary>A failure outside any function (the front end's files, /local/metrics): functions' own failures are answered by the product's middleware.</summary>
    static Task WriteUnhandledProblemAsync(HttpContext context) =>
        WriteProblemAsync(context, ApiResponses.ForException(context.Features.Get<IExceptionHandlerFeature>()?.Error ?? new InvalidOperationException()));

    static Task WriteProblemAsync(HttpContext context, IActionResult problem) =>
        problem.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
}
