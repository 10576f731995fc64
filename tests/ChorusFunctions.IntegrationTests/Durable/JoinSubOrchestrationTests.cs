using System.Net;
using Azure.Data.Tables;
using ChorusFunctions.LocalHost.Durable;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.IntegrationTests.Durable.JoinAfterRestartTests;
using ChorusFunctions.Joining;

namespace ChorusFunctions.IntegrationTests.Durable;

/// <summary>
/// The joining request is a sub-orchestration of the joiner's signup orchestration, on the local host's sidecar over
/// the Azure Storage backend: the parent's history stays readable, and a recursive termination takes the child along.
/// </summary>
public sealed class JoinSubOrchestrationTests
{
    [Fact]
    public async Task Every_history_row_of_a_parent_that_started_its_child_is_readable()
    {
        await using LocalStack stack = await LocalStack.StartAsync();
        var api = new ApiClient(stack);
        string siret = Sirets.NewValid();
        string gp = Sirets.NewEmail("gp-history");
        await ActivateAsync(stack, api, gp, siret);
        string joinerId = await ActivateAsync(stack, api, Sirets.NewEmail("joiner-history"), siret);
        Mailbox.Message request = await stack.WaitForEmailAsync(gp, where: m => m.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase));

        // The rows as the backend wrote them: each one carries its EventType, or the parent's next episode fails.
        string taskHub = stack.Services.GetRequiredService<IConfiguration>()["Durable:TaskHub"]!;
        var history = new TableClient(stack.Azurite.ConnectionString, taskHub + "History");
        List<TableEntity> rows = [];
        await foreach (TableEntity row in history.QueryAsync<TableEntity>(e => e.PartitionKey == joinerId))
        {
            rows.Add(row);
        }

        Assert.NotEmpty(rows);
        Assert.All(rows.Where(r => r.RowKey != "sentinel"), r => Assert.False(string.IsNullOrEmpty(r.GetString("EventType")), $"row {r.RowKey} has no EventType: {string.Join(", ", r.Keys)}"));
        TableEntity created = Assert.Single(rows, r => r.GetString("EventType") == "SubOrchestrationInstanceCreated");
        Assert.Equal(JoinRequestOrchestrator.InstanceIdOf(joinerId), created.GetString("InstanceId"));
        Assert.Equal(JoinRequestOrchestrator.Name, created.GetString("Name"));

        // And read back by the backend itself, as the next episode will.
        DurableSidecar sidecar = stack.Services.GetRequiredService<DurableSidecar>();
        string executionId = (await sidecar.Service.GetOrchestrationStateAsync(joinerId, allExecutions: false)).Single().OrchestrationInstance.ExecutionId;
        Assert.Contains($"\"{JoinRequestOrchestrator.InstanceIdOf(joinerId)}\"", await sidecar.Service.GetOrchestrationHistoryAsync(joinerId, executionId), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{Mailbox.ActivationToken(request)}/approval")).Status);
        await AssertBothCompleteApprovedAsync(stack, joinerId);
    }

    [Fact]
    public async Task A_recursive_termination_of_the_signup_terminates_its_joining_request()
    {
        await using LocalStack stack = await LocalStack.StartAsync();
        var api = new ApiClient(stack);
        string siret = Sirets.NewValid();
        string gp = Sirets.NewEmail("gp-terminate");
        await ActivateAsync(stack, api, gp, siret);
        string joinerId = await ActivateAsync(stack, api, Sirets.NewEmail("joiner-terminate"), siret);
        await stack.WaitForEmailAsync(gp, where: m => m.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase));

        DurableTaskClient durable = stack.Services.GetRequiredService<DurableTaskClient>();
        await durable.TerminateInstanceAsync(joinerId, new TerminateInstanceOptions { Output = "test", Recursive = true });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await durable.WaitForInstanceCompletionAsync(JoinRequestOrchestrator.InstanceIdOf(joinerId), timeout.Token)).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await durable.WaitForInstanceCompletionAsync(joinerId, timeout.Token)).RuntimeStatus);
    }
}
