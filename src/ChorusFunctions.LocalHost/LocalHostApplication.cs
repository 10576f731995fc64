using ChorusFunctions.Http;
using ChorusFunctions.LocalHost.Durable;
using ChorusFunctions.LocalHost.Functions;
using ChorusFunctions.LocalHost.Security;
using ChorusFunctions.Storage;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
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
        services.AddHostCors(configuration); // Security (issue 5): CORS limited to Host__CorsOrigins.

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

        services.AddSingleton(catalog);
        services.AddSingleton<Telemetry.LocalMetrics>();
        services.AddRouting();

        WebApplication app = builder.Build();
        ConfigurePipeline(app, catalog);
        return app;
    }

    static void ConfigurePipeline(WebApplication app, FunctionCatalog catalog)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteUnhandledProblemAsync });
        app.UseHostCors(app.Configuration); // Security (issue 5)
        app.Use(ApiProblemForUnmatchedAsync);
        app.Use(SecurityHeadersAsync);

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

    /// <summary>Security headers for the front end; the pages opened from an emailed token link never leak it in a Referer.</summary>
    static Task SecurityHeadersAsync(HttpContext context, Func<Task> next)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
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

    /// <summary>Unknown API routes and wrong methods answer with problem details like every other API error.</summary>
    static async Task ApiProblemForUnmatchedAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (context.Response.HasStarted || !context.Request.Path.StartsWithSegments("/api")
            || context.Response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
            || context.Response.ContentType is not null)
        {
            return;
        }

        bool wrongMethod = context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed;
        await WriteProblemAsync(context, new ApiProblem
        {
            Title = wrongMethod ? "Méthode non autorisée" : "Ressource introuvable",
            Status = context.Response.StatusCode,
            Code = wrongMethod ? ErrorCodes.MethodNotAllowed : ErrorCodes.NotFound,
            Detail = wrongMethod ? "Cette ressource n'accepte pas cette méthode HTTP." : "Aucune ressource ne correspond à cette adresse.",
        });
    }

    static Task WriteUnhandledProblemAsync(HttpContext context)
    {
        Exception? error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            // Kestrel's own refusals (oversized body, malformed request) are the client's fault.
            return WriteProblemAsync(context, new ApiProblem
            {
                Title = "Requête invalide",
                Status = bad.StatusCode,
                Code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.PayloadTooLarge : ErrorCodes.MalformedJson,
                Detail = "La requête n'a pas pu être lue.",
            });
        }

        return WriteProblemAsync(context, new ApiProblem
        {
            Title = "Erreur interne",
            Status = StatusCodes.Status500InternalServerError,
            Code = ErrorCodes.InternalError,
            Detail = "Une erreur inattendue est survenue. Vos informations sont conservées : réessayez dans quelques instants.",
        });
    }

    static Task WriteProblemAsync(HttpContext context, ApiProblem problem) =>
        ApiResults.Problem(problem).ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
}
