using System.Runtime.Serialization;
using ChorusFunctions.LocalHost.Durable;
using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace ChorusFunctions.Tests.Durable;

/// <summary>
/// The Azure Storage backend writes a history event as a table row by reflecting over the <c>[DataContract]</c>
/// members of its exact type; a type without the attribute of its own gives a row with no <c>EventType</c>, which
/// cannot be read back. What the sidecar adds of its own types must reach the backend as DurableTask.Core's.
/// </summary>
public sealed class SubOrchestrationEventTests
{
    [Fact]
    public void A_sub_orchestration_start_reaches_the_backend_as_core_types()
    {
        var parent = new OrchestrationInstance { InstanceId = "parent", ExecutionId = "e1" };
        var state = new OrchestrationRuntimeState();
        state.AddEvent(new OrchestratorStartedEvent(-1));
        state.AddEvent(new ExecutionStartedEvent(-1, "\"in\"") { Name = "Parent", OrchestrationInstance = parent });
        var created = new GrpcSubOrchestrationInstanceCreatedEvent(3)
        {
            Name = "Child",
            Version = "v1",
            InstanceId = "parent:join",
            Input = "\"child\"",
            Timestamp = new DateTime(2026, 12, 1, 23, 0, 0, DateTimeKind.Utc),
        };
        state.AddEvent(created);
        state.AddEvent(new OrchestratorCompletedEvent(-1));
        var tags = new MapField<string, string> { ["k"] = "v" };
        var start = new TaskMessage
        {
            Event = new ExecutionStartedEvent(-1, "\"child\"") { Name = "Child", Tags = tags },
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "parent:join", ExecutionId = "c1" },
        };

        GuardedOrchestrationService.ToCoreTypes(state, [start]);

        Assert.All(state.Events.Concat(state.NewEvents), e => Assert.True(e.GetType().IsDefined(typeof(DataContractAttribute), inherit: false), e.GetType().Name));
        SubOrchestrationInstanceCreatedEvent plain = Assert.IsType<SubOrchestrationInstanceCreatedEvent>(state.NewEvents[2], exactMatch: true);
        Assert.Same(plain, state.Events[2]);
        Assert.Equal((3, "Child", "v1", "parent:join", "\"child\"", created.Timestamp), (plain.EventId, plain.Name, plain.Version, plain.InstanceId, plain.Input, plain.Timestamp));
        IDictionary<string, string> startTags = ((ExecutionStartedEvent)start.Event).Tags;
        Assert.IsType<Dictionary<string, string>>(startTags, exactMatch: true);
        Assert.Equal("v", startTags["k"]);
    }

    [Fact]
    public void The_sidecar_has_no_history_event_of_its_own_but_the_converted_one()
    {
        // A new one in an upgrade of the sidecar would be written as an unreadable row: it must be converted too.
        Type[] own = [.. typeof(TaskHubGrpcServer).Assembly.GetTypes().Where(t => typeof(HistoryEvent).IsAssignableFrom(t))];
        Assert.Equal([typeof(GrpcSubOrchestrationInstanceCreatedEvent)], own);
        Assert.False(own[0].IsDefined(typeof(DataContractAttribute), inherit: false));
    }
}
