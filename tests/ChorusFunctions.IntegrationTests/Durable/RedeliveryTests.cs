using System.Net;
using ChorusFunctions.LocalHost.Durable;
using ChorusFunctions.Testing;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Durable;

/// <summary>
/// The Azure Storage backend commits an episode's history before it deletes the messages that caused it, so a host
/// killed in between is handed those messages again. These tests put the redelivered messages in the control queue
/// themselves — exactly what the queue holds after such a kill — and check the signup goes on.
/// </summary>
public sealed class RedeliveryTests
{
    [Fact]
    public async Task A_redelivered_start_message_does_not_corrupt_a_running_signup()
    {
        await using LocalStack stack = await LocalStack.StartAsync();
        var api = new ApiClient(stack);
        string email = Sirets.NewEmail("redelivery");
        string signupId = (await api.StartAsync(email)).Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        DurableTaskClient durable = stack.Services.GetRequiredService<DurableTaskClient>();
        OrchestrationMetadata running = await WaitForRunningAsync(durable, signupId);

        // The start message once more, as the queue delivers it after a kill between the commit and the delete.
        DurableSidecar sidecar = stack.Services.GetRequiredService<DurableSidecar>();
        var instance = new OrchestrationInstance { InstanceId = signupId, ExecutionId = await ExecutionIdOfAsync(sidecar, signupId) };
        await sidecar.Service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, running.SerializedInput) { Name = running.Name, OrchestrationInstance = instance },
        });

        Mailbox.Message message = await stack.WaitForEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(message))).Status);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata done = await durable.WaitForInstanceCompletionAsync(signupId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // Without the filter the start stays in the queue, fails every dispatch, and takes its batch with it.
        Assert.DoesNotContain(stack.Logs.Lines, line => line.Contains("Multiple ExecutionStartedEvent", StringComparison.Ordinal));
        Assert.Contains(stack.Logs.Lines, line => line.Contains("dropped a redelivered ExecutionStarted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signup_continued_as_new_on_the_azure_storage_backend_activates()
    {
        await using LocalStack stack = await LocalStack.StartAsync(new Dictionary<string, string?> { ["Signup:TurnsPerExecution"] = "2" });
        var api = new ApiClient(stack);
        string email = Sirets.NewEmail("continue-as-new");
        (string signupId, string token) = await api.UntilActivationEmailAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(token)).Status);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata done = await stack.Services.GetRequiredService<DurableTaskClient>().WaitForInstanceCompletionAsync(signupId, getInputsAndOutputs: true, timeout.Token);
        Assert.Contains("Active", done.SerializedOutput, StringComparison.Ordinal);
        await stack.WaitForEmailAsync(email, count: 2);
    }

    static async Task<string> ExecutionIdOfAsync(DurableSidecar sidecar, string instanceId)
    {
        IList<OrchestrationState> states = await sidecar.Service.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        return states.Single().OrchestrationInstance.ExecutionId;
    }

    static async Task<OrchestrationMetadata> WaitForRunningAsync(DurableTaskClient durable, string instanceId)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            OrchestrationMetadata? metadata = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (metadata?.RuntimeStatus == OrchestrationRuntimeStatus.Running && metadata.SerializedCustomStatus is not null)
            {
                return metadata;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Orchestration {instanceId} did not start.");
            await Task.Delay(100);
        }
    }
}
