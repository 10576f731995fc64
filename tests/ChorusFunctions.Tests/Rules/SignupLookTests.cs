using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
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

    static OrchestrationMetadata Instance(OrchestrationRuntimeStatus status) => new(SignupOrchestrator.Name, Active.SignupId) { RuntimeStatus = status };

    [Fact]
    public void A_settled_signup_whose_start_is_not_processed_yet_is_looked_at_again_to_wake_it_once_it_runs() =>
        Assert.Equal((false, true), SignupWatch.LookAt(Instance(OrchestrationRuntimeStatus.Pending), Active, settled: true));

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Terminated)]
    public void A_settled_signup_whose_orchestration_ended_needs_nothing_more(OrchestrationRuntimeStatus status) =>
        Assert.Equal((false, false), SignupWatch.LookAt(Instance(status), Active, settled: true));

    [Fact]
    public void A_settled_signup_without_an_orchestration_needs_nothing_more() =>
        Assert.Equal((false, false), SignupWatch.LookAt(null, Active, settled: true));

    [Fact]
    public void A_signup_still_owed_something_leaves_a_pending_start_to_the_rest_of_the_look() =>
        Assert.Equal((false, false), SignupWatch.LookAt(Instance(OrchestrationRuntimeStatus.Pending), Active, settled: false));
}
