using System.Net;
using ChorusFunctions.Joining;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Durable;

/// <summary>A signup orchestration that follows its joining request (its child) picks it up again after a host restart.</summary>
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

    /// <summary>The child gets the decision and completes; the parent, told of it, completes with its outcome.</summary>
    internal static async Task AssertBothCompleteApprovedAsync(LocalStack stack, string joinerId)
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

    internal static async Task<string> ActivateAsync(LocalStack stack, ApiClient api, string email, string siret)
    {
        string signupId = (await api.StartAsync(email, siret)).Text("signupId");
        Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(signupId, email)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(Mailbox.ActivationToken(await stack.WaitForEmailAsync(email)))).Status);
        await api.WaitForRoleAsync(signupId);
        return signupId;
    }
}
