using Microsoft.Azure.Functions.Worker;

namespace ChorusFunctions.Signup;

/// <summary>The orchestration's activities: thin entry points into <see cref="SignupLifecycle"/>.</summary>
public sealed class SignupActivities(SignupLifecycle lifecycle)
{
    [Function(SignupActivityNames.CreatePendingAccount)]
    public Task<PendingAccountCreated> CreatePendingAccount([ActivityTrigger] string signupId) =>
        lifecycle.CreatePendingAccountAsync(signupId, CancellationToken.None);

    [Function(SignupActivityNames.SendActivationLink)]
    public Task<bool> SendActivationLink([ActivityTrigger] SendActivationLinkInput input) =>
        lifecycle.SendActivationLinkAsync(input, CancellationToken.None);

    [Function(SignupActivityNames.RecordEmailFailure)]
    public Task RecordEmailFailure([ActivityTrigger] string signupId) =>
        lifecycle.RecordEmailFailureAsync(signupId, CancellationToken.None);

    [Function(SignupActivityNames.FinalizeActivation)]
    public Task FinalizeActivation([ActivityTrigger] string signupId) =>
        lifecycle.FinalizeActivationAsync(signupId, CancellationToken.None);

    [Function(SignupActivityNames.ExpireSignup)]
    public Task<SignupStatus> ExpireSignup([ActivityTrigger] string signupId) =>
        lifecycle.ExpireAsync(signupId, CancellationToken.None);

    [Function(SignupActivityNames.SendSignupNotice)]
    public Task SendSignupNotice([ActivityTrigger] SignupNoticeInput input) =>
        lifecycle.SendNoticeAsync(input, CancellationToken.None);

    [Function(SignupActivityNames.ReleaseSignup)]
    public Task ReleaseSignup([ActivityTrigger] string signupId) =>
        lifecycle.EndAsync(signupId, SignupStatus.Cancelled, CancellationToken.None);
}
