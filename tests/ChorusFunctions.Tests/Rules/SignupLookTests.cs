using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Client;

namespace ChorusFunctions.Tests.Rules;

/// <summary>What a booked look does with the orchestration it finds for a signup.</summary>
public sealed class SignupLookTests
{
    static readonly SignupEntity Active = new()
    {
        PartitionKey = new string('a', 32),
        Status = SignupStatus.Active,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddHours(1),
        LoginEmail = "jeanne.martin@exemple.fr",
        IdentifierType = IdentifierType.SIRET,
        Identifier = "12345678901234567890",
        StructureKey = "key",
    };

    static OrchestrationMetadata Instance(OrchestrationRuntimeStatus status) => new(SignupOrchestrator.Name, Active.SignupId) { RuntimeStatus = status, DataConverter = JsonDataConverter.Default };

    [Fact]
    public void A_settled_signup_whose_start_is_not_processed_yet_is_looked_at_again_to_wake_it_once_it_runs() =>
        Assert.Equal((false, true), SignupWatch.LookAt(Instance(OrchestrationRuntimeStatus.Pending), Active, settled: true));

    [Fact]
    public void An_orchestration_shown_pending_with_a_step_of_its_own_has_run_and_is_woken_when_the_row_left_that_step()
    {
        var instance = new OrchestrationMetadata(SignupOrchestrator.Name, Active.SignupId)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Pending,
            DataConverter = JsonDataConverter.Default,
            SerializedCustomStatus = System.Text.Json.JsonSerializer.Serialize(new SignupProgress(SignupStatus.AwaitingActivation, 1)),
        };
        Assert.Equal((true, false), SignupWatch.LookAt(instance, Active, settled: true));
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Terminated)]
    public void A_settled_signup_whose_orchestration_ended_needs_nothing_more(OrchestrationRuntimeStatus status) =>
        Assert.Equal((false, false), SignupWatch.LookAt(Instance(status), Active, settled: true));

    [Fact]
    public void A_settled_signup_without_an_orchestration_needs_nothing_more() =>
        Assert.Equal((false, false), SignupWatch.LookAt(null, Active, settled: true));

    [Fact]
    public void A_signup_still_owed_something_whose_start_is_not_processed_yet_is_looked_at_again_too() =>
        // An activated member whose joining request the orchestration is to follow: no other look comes soon.
        Assert.Equal((false, true), SignupWatch.LookAt(Instance(OrchestrationRuntimeStatus.Pending), Active, settled: false));

    [Fact]
    public async Task A_wake_waits_for_the_start_it_follows_to_be_processed()
    {
        var answers = new Queue<OrchestrationMetadata?>([Instance(OrchestrationRuntimeStatus.Pending), Instance(OrchestrationRuntimeStatus.Pending), Instance(OrchestrationRuntimeStatus.Running)]);
        int asked = 0;
        await SignupWatch.WhenStartedAsync(_ => { asked++; return Task.FromResult(SignupWatch.StartPending(answers.Dequeue())); }, TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        Assert.Equal(3, asked);
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(null)]
    public async Task A_wake_to_an_instance_not_pending_asks_once(OrchestrationRuntimeStatus? status)
    {
        int asked = 0;
        OrchestrationMetadata? instance = status is { } s ? Instance(s) : null;
        await SignupWatch.WhenStartedAsync(_ => { asked++; return Task.FromResult(SignupWatch.StartPending(instance)); }, TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task A_start_that_stays_pending_holds_the_wake_no_longer_than_the_budget()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SignupWatch.WhenStartedAsync(_ => Task.FromResult(SignupWatch.StartPending(Instance(OrchestrationRuntimeStatus.Pending))), TimeSpan.FromMilliseconds(500), TimeProvider.System, CancellationToken.None);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
    }
}
