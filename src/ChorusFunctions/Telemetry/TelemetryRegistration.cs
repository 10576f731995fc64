using Azure.Monitor.OpenTelemetry.Exporter;
using ChorusFunctions.Storage;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ChorusFunctions.Telemetry;

/// <summary>
/// OpenTelemetry for the Functions worker (host.json sets <c>telemetryMode: OpenTelemetry</c>): the worker's
/// traces and logs, the product's meter, exported to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set,
/// authenticated with the managed identity (local auth is disabled on the Application Insights resource).
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IServiceCollection AddFunctionsTelemetry(this IServiceCollection services, ILoggingBuilder logging, IConfiguration configuration)
    {
        IOpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(SignupMetrics.MeterName));

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
