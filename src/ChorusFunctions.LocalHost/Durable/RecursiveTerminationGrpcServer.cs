using System.Text.Json;
using DurableTask.Core;
using DurableTask.Core.History;
using Grpc.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Microsoft.DurableTask.Protobuf;

namespace ChorusFunctions.LocalHost.Durable;

/// <summary>
/// The sidecar's gRPC server, with the recursive termination the Durable extension gives a client: the sidecar
/// terminates only the instance named and ignores <c>Recursive</c>, which would leave a terminated parent's children
/// running. Here the parent's running children, found in its history, are terminated after it, and theirs after them.
/// </summary>
sealed class RecursiveTerminationGrpcServer : TaskHubGrpcServer
{
    readonly IOrchestrationServiceClient client;

    public RecursiveTerminationGrpcServer(
        IHostApplicationLifetime hostApplicationLifetime,
        ILoggerFactory loggerFactory,
        IOrchestrationService service,
        IOrchestrationServiceClient client,
        IOptions<TaskHubGrpcServerOptions> options)
        : base(hostApplicationLifetime, loggerFactory, service, client, options) => this.client = client;

    public override async Task<P.TerminateResponse> TerminateInstance(P.TerminateRequest request, ServerCallContext context)
    {
        List<string> children = request.Recursive ? await RunningChildrenAsync(request.InstanceId) : [];

        // The parent first: a child terminated before it would report its end to a parent still running.
        P.TerminateResponse response = await base.TerminateInstance(request, context);
        foreach (string child in children)
        {
            await TerminateInstance(new P.TerminateRequest { InstanceId = child, Output = request.Output, Recursive = true }, context);
        }

        return response;
    }

    async Task<List<string>> RunningChildrenAsync(string instanceId)
    {
        List<string> running = [];
        if (await client.GetOrchestrationStateAsync(instanceId, allExecutions: false) is not [{ OrchestrationInstance.ExecutionId: { } executionId }])
        {
            return running;
        }

        using JsonDocument history = JsonDocument.Parse(await client.GetOrchestrationHistoryAsync(instanceId, executionId));
        foreach (JsonElement e in history.RootElement.EnumerateArray())
        {
            if (e.TryGetProperty(nameof(HistoryEvent.EventType), out JsonElement type) && type.ValueKind == JsonValueKind.Number
                && type.GetInt32() == (int)EventType.SubOrchestrationInstanceCreated
                && e.TryGetProperty(nameof(SubOrchestrationInstanceCreatedEvent.InstanceId), out JsonElement child) && child.GetString() is { } childId
                && await client.GetOrchestrationStateAsync(childId, allExecutions: false) is [{ OrchestrationStatus: OrchestrationStatus.Running or OrchestrationStatus.Pending }])
            {
                running.Add(childId);
            }
        }

        return running;
    }
}
