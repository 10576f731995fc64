using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.LocalHost.Durable;

/// <summary>Settings <c>Durable__*</c> of the local host's durable backend.</summary>
public sealed class DurableOptions
{
    public const string Section = "Durable";

    /// <summary>The task hub (queues, tables and blobs prefix) in the storage account.</summary>
    public string TaskHub { get; set; } = "ChorusSignups";

    /// <summary>How long idle queue polling backs off at most; low locally so events are picked up quickly.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Control-queue partitions; fixed for the life of a task hub.</summary>
    public int PartitionCount { get; set; } = 1;

    /// <summary>
    /// How long a fetched work item stays invisible to other workers. A work item abandoned by a stopped host
    /// (a restart in the middle of an activity) runs again after this; the backend's default is 5 minutes.
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Loopback port of the internal gRPC endpoint (0: any free port).</summary>
    public int GrpcPort { get; set; }
}

/// <summary>
/// The Durable Task "sidecar" of the local host: the public gRPC <see cref="TaskHubGrpcServer"/> (from
/// Microsoft.DurableTask.InProcessTestHost) serving the Azure Storage backend — the one Durable Functions uses —
/// on a loopback port. The worker and client of the local host talk to it as Durable Functions talks to its host.
/// </summary>
public sealed class DurableSidecar : IHostedService, IAsyncDisposable
{
    readonly WebApplication app;
    readonly GuardedOrchestrationService guarded;

    public DurableSidecar(string storageConnectionString, DurableOptions options, ILoggerFactory loggerFactory)
    {
        int port = options.GrpcPort == 0 ? FreeLoopbackPort() : options.GrpcPort;
        Address = new Uri($"http://127.0.0.1:{port}");

        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(storageConnectionString),
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            PartitionCount = options.PartitionCount,
            WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-{port}",
            // Short leases so that a restarted host takes its partitions back quickly.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(2),
            LoggerFactory = loggerFactory,
        });

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        guarded = new GuardedOrchestrationService(service, loggerFactory.CreateLogger("ChorusFunctions.LocalHost.Durable"));
        builder.Services.AddSingleton<IOrchestrationService>(guarded);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<RecursiveTerminationGrpcServer>();
        app = builder.Build();
        app.MapGrpcService<RecursiveTerminationGrpcServer>();
        Service = service;
    }

    public Uri Address { get; }

    public AzureStorageOrchestrationService Service { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Service.CreateIfNotExistsAsync();
        await app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await app.StopAsync(cancellationToken);

        // TaskHubGrpcServer stops its dispatcher from an async void handler that nobody awaits. Stop the backend
        // here, so its partition leases are released before this method returns: a host started right after
        // (a restart, a redeployment) gets the partitions at once instead of after the lease expires.
        try
        {
            await guarded.StopAsync(isForced: false).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // Already stopped by the dispatcher host, or shutting down hard: the lease then expires on its own.
        }
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
