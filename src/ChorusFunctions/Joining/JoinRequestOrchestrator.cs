using ChorusFunctions.Signup;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>
/// One joining request (input: its id, see <see cref="JoinRequestIds"/>), a sub-orchestration of the requester's signup
/// once a <c>Utilisateur</c>'s account is active. Every step is idempotent, so a repaired signup that starts it again
/// picks the request up where it stands.
/// </summary>
public static partial class JoinRequestOrchestrator
{
    public const string Name = JoiningStep.Orchestrator;

    public const string DecidedEvent = "JoinRequestDecided";

    /// <summary>The instance that waits for the decision: the child of the requester's current signup instance.</summary>
    public static string InstanceIdOf(SignupEntity requester) => InstanceIdOf(SignupStateMachine.InstanceIdOf(requester));

    public static string InstanceIdOf(string signupInstanceId) => JoiningStep.InstanceIdOf(signupInstanceId);

    static readonly TaskOptions StorageRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    static readonly TaskOptions EmailRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5))
        {
            HandleFailure = failure => !failure.IsCausedBy<Email.PermanentEmailFailureException>(),
        });

    [Function(Name)]
    public static async Task<JoinRequestOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        string requestId = context.GetInput<string>() ?? throw new InvalidOperationException("The joining request needs its id.");
        ILogger logger = context.CreateReplaySafeLogger(Name);
        JoinRequestOpened opened = await context.CallActivityAsync<JoinRequestOpened>(nameof(JoinRequestActivities.OpenJoinRequest), requestId, StorageRetry);
        if (opened.Status == JoinRequestStatus.Pending)
        {
            if (opened.HasGestionnaire)
            {
                await SendAsync(context, logger, nameof(JoinRequestActivities.SendJoinRequestEmail), requestId);
            }
            else
            {
                LogNoGestionnaire(logger, requestId);
            }

            using var deadlineCancellation = new CancellationTokenSource();
            Task<JoinRequestDecided> decided = context.WaitForExternalEvent<JoinRequestDecided>(DecidedEvent);
            Task deadline = context.CreateTimer(opened.ExpiresAt, deadlineCancellation.Token);
            if (await Task.WhenAny(decided, deadline) == decided)
            {
                deadlineCancellation.Cancel();
            }
            else
            {
                // The compare-and-swap decides against a decision arriving at the same moment.
                await context.CallActivityAsync<JoinRequestStatus>(nameof(JoinRequestActivities.LapseJoinRequest), requestId, StorageRetry);
            }
        }

        // The stored status is the truth, whichever way it was reached.
        JoinRequestStatus final = await context.CallActivityAsync<JoinRequestStatus>(nameof(JoinRequestActivities.CompleteJoinRequest), requestId, StorageRetry);
        await SendAsync(context, logger, nameof(JoinRequestActivities.SendJoinOutcomeEmail), requestId);
        LogEnded(logger, requestId, final);
        return new JoinRequestOutcome(final);
    }

    static async Task SendAsync(TaskOrchestrationContext context, ILogger logger, string activity, string requestId)
    {
        try
        {
            await context.CallActivityAsync<bool>(activity, requestId, EmailRetry);
        }
        catch (TaskFailedException ex)
        {
            // The request itself is not lost: the decision and the membership do not depend on the email.
            LogEmailFailed(logger, requestId, activity, ex.FailureDetails.ErrorType);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joining request {RequestId} ended as {Status}")]
    static partial void LogEnded(ILogger logger, string requestId, JoinRequestStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Joining request {RequestId}: {Activity} failed ({ErrorType})")]
    static partial void LogEmailFailed(ILogger logger, string requestId, string activity, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Joining request {RequestId}: the structure has no gestionnaire principal; the request will lapse")]
    static partial void LogNoGestionnaire(ILogger logger, string requestId);
}
