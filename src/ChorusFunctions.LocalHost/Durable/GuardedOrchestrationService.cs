using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.LocalHost.Durable;

/// <summary>
/// The Azure Storage service as the sidecar's dispatcher sees it, made as safe as DurableTask.Core's own dispatcher
/// (the one the Functions host runs) expects a backend to be:
/// <list type="bullet">
/// <item>Start and stop: the dispatcher stops the service from an async void callback, and stopping a service that
/// never started (a host stopped before its worker connected) or is still starting throws inside that callback and
/// takes the process down. Here a stop waits for a start in progress, does nothing when there was no start, and
/// happens once.</item>
/// <item>Redelivered messages: the backend commits an episode's history first and deletes the messages that caused
/// it last, so a crash in between delivers them again (at least once). DurableTask.Core's dispatcher drops a second
/// <c>ExecutionStarted</c> and messages of another execution (<c>ReconcileMessagesWithState</c>); the sidecar's
/// dispatcher does not, and adding the second start to the history throws "Multiple ExecutionStartedEvent found" on
/// every later dispatch — the instance is stuck for good. The same filter runs here, before the sidecar sees the
/// work item. The backend still deletes the dropped messages when the episode completes (it tracks its own batch).</item>
/// <item>Sub-orchestration starts: the sidecar records them as its own subclass of
/// <see cref="SubOrchestrationInstanceCreatedEvent"/>, which has no <c>[DataContract]</c> of its own (the attribute
/// is not inherited). The backend writes history rows by reflecting over <c>[DataContract]</c> types only, so that
/// row had no columns at all, and reading the parent's history back (the next episode after a restart) threw "The
/// TableEntity did not contain a 'EventType' property". Here the event becomes the plain DurableTask.Core one, and
/// the child's start message carries its tags as a plain dictionary (see <see cref="ToCoreTypes"/>).</item>
/// </list>
/// </summary>
sealed partial class GuardedOrchestrationService(IOrchestrationService inner, ILogger logger) : IOrchestrationService
{
    readonly Lock gate = new();
    Task? started;
    Task? stopped;

    public Task StartAsync()
    {
        lock (gate)
        {
            return started ??= inner.StartAsync();
        }
    }

    public Task StopAsync() => StopAsync(isForced: false);

    public Task StopAsync(bool isForced)
    {
        lock (gate)
        {
            return stopped ??= StopOnceAsync(started, isForced);
        }
    }

    async Task StopOnceAsync(Task? start, bool isForced)
    {
        if (start is null)
        {
            return;
        }

        try
        {
            await start;
        }
        catch (Exception)
        {
            // A failed start left nothing to stop.
            return;
        }

        await inner.StopAsync(isForced);
    }

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        TaskOrchestrationWorkItem workItem = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem is not null)
        {
            DropRedeliveredMessages(workItem);
        }

        return workItem!;
    }

    /// <summary>Removes from the work item what its history shows was already applied (see the class remarks).</summary>
    internal void DropRedeliveredMessages(TaskOrchestrationWorkItem workItem)
    {
        OrchestrationRuntimeState state = workItem.OrchestrationRuntimeState;
        string? executionId = state?.OrchestrationInstance?.ExecutionId;
        if (state?.ExecutionStartedEvent is null || workItem.NewMessages is null)
        {
            return;
        }

        List<TaskMessage> kept = new(workItem.NewMessages.Count);
        foreach (TaskMessage message in workItem.NewMessages)
        {
            string? messageExecution = message.OrchestrationInstance?.ExecutionId;
            if (message.Event is ExecutionStartedEvent)
            {
                LogDropped(workItem.InstanceId, message.Event.EventType, "duplicate start");
            }
            else if (!string.IsNullOrEmpty(messageExecution) && !string.IsNullOrEmpty(executionId) && messageExecution != executionId)
            {
                LogDropped(workItem.InstanceId, message.Event.EventType, "another execution");
            }
            else
            {
                kept.Add(message);
            }
        }

        if (kept.Count != workItem.NewMessages.Count)
        {
            workItem.NewMessages = kept;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instance {InstanceId}: dropped a redelivered {EventType} message ({Reason})")]
    partial void LogDropped(string instanceId, EventType eventType, string reason);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ToCoreTypes(newOrchestrationRuntimeState, orchestratorMessages);
        return inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    /// <summary>
    /// Replaces what the sidecar adds of its own types by the DurableTask.Core types the backend can write and read
    /// back: the new history events of sub-orchestration starts, and the tags of the children's start messages.
    /// </summary>
    internal static void ToCoreTypes(OrchestrationRuntimeState state, IList<TaskMessage> orchestratorMessages)
    {
        IList<HistoryEvent> newEvents = state.NewEvents;
        for (int i = 0; i < newEvents.Count; i++)
        {
            if (newEvents[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
            {
                var plain = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Name = created.Name,
                    Version = created.Version,
                    InstanceId = created.InstanceId,
                    Input = created.Input,
                    ClientSpanId = created.ClientSpanId,
                    Tags = created.Tags,
                    Timestamp = created.Timestamp,
                    IsPlayed = created.IsPlayed,
                };

                // The same object is in the whole history, which the backend writes from too (row keys, sizes).
                int inHistory = state.Events.IndexOf(created);
                if (inHistory >= 0)
                {
                    state.Events[inHistory] = plain;
                }

                newEvents[i] = plain;
            }
        }

        foreach (TaskMessage message in orchestratorMessages)
        {
            // Messages are written with their .NET types, and a protobuf map of tags cannot be read back.
            if (message.Event is ExecutionStartedEvent { Tags: { } tags } started && tags.GetType() != typeof(Dictionary<string, string>))
            {
                started.Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal);
            }
        }
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
