using System.Net;
using Azure.Data.Tables;
using ChorusFunctions.LocalHost.Durable;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Durable;

/// <summary>
/// The joining request is a sub-orchestration of the joiner's signup orchestration. On the Azure Storage backend, a
/// parent that started a child must read its history back, the next episode as after a host restart.
/// </summary>
public sealed class JoinAfterRestartTests
{
    [Fact]
    public async Task A_signup_following_its_joining_request_completes_after_a_restart()
    {
        await using LocalStack stack = await LocalStack.StartAsync();
        var api = new ApiClient(stack);
        string siret = Sirets.NewValid();
        string gp = Sirets.NewEmail("gp-restart");
        string joiner = Sirets.NewEmail("joiner-restart");
        await ActivateAsync(stack, api, gp, siret);
        string joinerId = await ActivateAsync(stack, api, joiner, siret);
        Mailbox.Message request = await stack.WaitForEmailAsync(gp, where: m => m.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase));

        await stack.RestartAsync();
        api = new ApiClient(stack);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/join-requests/{Mailbox.ActivationToken(request)}/approval")).Status);

        await AssertBothCompleteApprovedAsync(stack, joinerId);
    }

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

    /// <summary>The child gets the decision and completes; the parent, told of it, completes with its outcome.</summary>
    static async Task AssertBothCompleteApprovedAsync(LocalStack stack, string joinerId)
    {
        DurableTaskClient durable = stack.Services.GetRequiredService<DurableTaskClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        OrchestrationMetadata child = await durable.WaitForInstanceCompletionAsync(JoinRequestOrchestrator.InstanceIdOf(joinerId), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
        Assert.Contains("Approved", child.SerializedOutput, StringComparison.Ordinal);
        OrchestrationMetadata signup = await durable.WaitForInstanceCompletionAsync(joinerId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, signup.RuntimeStatus);
        Assert.Contains("Approved", signup.SerializedOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.Logs.Lines, line => line.Contains("did not contain a 'EventType' property", StringComparison.Ordinal));
    }

    static async Task<string> ActivateAsync(LocalStack stack, ApiClient api, string email, string siret)
    {
        string signupId = (await api.StartAsync(email, siret)).Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(await stack.WaitForEmailAsync(email)))).Status);
        await api.WaitForRoleAsync(signupId);
        return signupId;
    }
}
