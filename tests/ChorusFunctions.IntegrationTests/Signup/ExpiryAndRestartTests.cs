using System.Net;
using ChorusFunctions.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Signup;

public sealed class ExpiryAndRestartTests
{
    [Fact]
    public async Task A_signup_left_alone_expires_and_its_email_can_sign_up_again()
    {
        await using LocalStack stack = await LocalStack.StartAsync(new Dictionary<string, string?> { ["Signup:StepDeadline"] = "00:00:03" });
        var api = new ApiClient(stack);
        string email = Sirets.NewEmail("expiry");
        string signupId = (await api.StartAsync(email)).Text("signupId");

        ApiClient.Response expired = await api.WaitForSignupAsync(signupId, r => r.Body?["status"]?.GetValue<string>() == "Expired");
        Assert.Equal(HttpStatusCode.OK, expired.Status);
        ApiClient.Response late = await api.DetailsAsync(signupId, email);
        Assert.Equal(HttpStatusCode.Gone, late.Status);
        Assert.Equal("signup_expired", late.Code);

        Assert.Equal(HttpStatusCode.Created, (await api.StartAsync(email)).Status);
    }

    [Fact]
    public async Task A_host_stopped_while_its_durable_backend_starts_stops_cleanly()
    {
        // Stopping before the worker has connected used to throw inside the dispatcher's async void stop and take
        // the whole process down; a second stack must then start and serve as usual.
        await (await LocalStack.StartAsync()).DisposeAsync();
        await using LocalStack stack = await LocalStack.StartAsync();
        Assert.Equal(System.Net.HttpStatusCode.Created, (await new ApiClient(stack).StartAsync(Sirets.NewEmail("after-stop"))).Status);
    }

    static async Task WaitAsync(Func<Task<bool>> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met in time.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_restarted_host_still_activates_a_signup_that_was_waiting()
    {
        await using LocalStack stack = await LocalStack.StartAsync();
        var api = new ApiClient(stack);
        string email = Sirets.NewEmail("restart");
        (string signupId, string token) = await api.UntilActivationEmailAsync(email);
        DurableTaskClient before = stack.Services.GetRequiredService<DurableTaskClient>();
        await WaitAsync(async () => (await before.GetInstanceAsync(signupId, getInputsAndOutputs: true))?.SerializedCustomStatus?.Contains("\"LinksSent\":1", StringComparison.Ordinal) == true);

        // The signup now only waits for its activation; the host goes away and comes back.
        await stack.RestartAsync();
        api = new ApiClient(stack);

        Assert.Equal(HttpStatusCode.OK, (await api.ActivateAsync(token)).Status);
        DurableTaskClient durable = stack.Services.GetRequiredService<DurableTaskClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        OrchestrationMetadata done;
        try
        {
            done = await durable.WaitForInstanceCompletionAsync(signupId, getInputsAndOutputs: true, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("The orchestration did not complete after the restart. Logs:\n" + string.Join("\n", stack.Logs.Lines.TakeLast(150)));
        }

        Assert.Contains("Active", done.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal("Active", (await api.GetSignupAsync(signupId)).Text("status"));
    }
}
