using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.Exporter;
using ChorusFunctions.Storage;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ChorusFunctions.Telemetry;

/// <summary>
/// OpenTelemetry for the Functions worker (host.json sets <c>telemetryMode: OpenTelemetry</c>): the worker's
/// traces and logs, the product's meter and the app's outbound calls, exported to Azure Monitor when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set, authenticated with the managed identity (local auth is disabled on
/// the Application Insights resource).
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The Azure SDK emits its spans through an ActivitySource only when this switch is on.</summary>
    public const string AzureSdkActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    /// <summary>The source of the Azure SDK's HTTP request spans.</summary>
    public const string AzureSdkHttpSource = "Azure.Core.Http";

    public static IServiceCollection AddFunctionsTelemetry(this IServiceCollection services, ILoggingBuilder logging, IConfiguration configuration)
    {
        IOpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(SignupMetrics.MeterName))
            .WithTracing(tracing => tracing.AddOutboundDependencies());

        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            Azure.Core.TokenCredential credential = StorageRegistration.CreateCredential(configuration);
            telemetry.WithMetrics(metrics => metrics.AddAzureMonitorMetricExporter(o => o.Credential = credential))
                .WithTracing(tracing => tracing.AddAzureMonitorTraceExporter(o => o.Credential = credential));
            logging.AddOpenTelemetry(o => o.AddAzureMonitorLogExporter(e => e.Credential = credential));
        }

        return services;
    }

    /// <summary>
    /// The calls the app makes become dependencies: the company registers (HttpClient), Table Storage, ACS and Entra ID
    /// (Azure SDK). Neither source records headers (Authorization, the register's API key, the ACS signature), and both
    /// redact query-string values (SAS signatures, the SIRET looked up), so spans carry no secret.
    /// </summary>
    public static TracerProviderBuilder AddOutboundDependencies(this TracerProviderBuilder tracing)
    {
        // Read once per process by the Azure SDK, at its first traced call: set while services are registered, before any client exists.
        AppContext.SetSwitch(AzureSdkActivitySourceSwitch, true);
        return tracing
            .AddSource("Azure.*")
            .AddHttpClientInstrumentation(options =>
                // An Azure SDK request is already a span of its own; its HttpClient span would be the same dependency twice.
                options.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name != AzureSdkHttpSource);
    }
}
