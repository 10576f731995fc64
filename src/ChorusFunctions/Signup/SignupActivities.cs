namespace ChorusFunctions.Signup;

/// <summary>The orchestration's activities: thin entry points into <see cref="SignupLifecycle"/>.</summary>
public sealed class SignupActivities(SignupLifecycle lifecycle)
{
    [Function(SignupActivityNames.Advance)]
    public Task<SignupStep> Advance([ActivityTrigger] AdvanceSignupInput input) =>
        lifecycle.AdvanceAsync(input, CancellationToken.None);

    [Function(SignupActivityNames.RecordEmailFailure)]
    public Task RecordEmailFailure([ActivityTrigger] AdvanceSignupInput input) =>
        lifecycle.RecordEmailFailureAsync(input, CancellationToken.None);
}
