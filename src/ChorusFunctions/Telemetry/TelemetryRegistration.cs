using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.Exporter;
using ChorusFunctions.Storage;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ChorusFunctions.Telemetry;

/// <summary>OpenTelemetry for the worker, to Azure Monitor when configured, with the managed identity (local auth is disabled).</summary>
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
            .WithTracing(tracing =>
            {
                // Outbound calls (HttpClient, Azure SDK) become dependencies. Neither source records headers and both
                // redact query-string values (SAS signatures, the SIRET looked up), so spans carry no secret.
                // The switch is read once per process by the Azure SDK, at its first traced call: set it before any client exists.
                AppContext.SetSwitch(AzureSdkActivitySourceSwitch, true);
                tracing.AddSource("Azure.*").AddHttpClientInstrumentation(options =>
                    // An Azure SDK request is already a span of its own; its HttpClient span would be the same dependency twice.
                    options.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name != AzureSdkHttpSource);
            });

        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            Azure.Core.TokenCredential credential = StorageRegistration.CreateCredential(configuration);
            telemetry.WithMetrics(metrics => metrics.AddAzureMonitorMetricExporter(o => o.Credential = credential))
                .WithTracing(tracing => tracing.AddAzureMonitorTraceExporter(o => o.Credential = credential));
            logging.AddOpenTelemetry(o => o.AddAzureMonitorLogExporter(e => e.Credential = credential));
        }

        return services;
    }
}
