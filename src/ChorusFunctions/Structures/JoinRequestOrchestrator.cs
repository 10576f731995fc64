using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.Structures;

/// <summary>
/// One joining request (rattachement), run by the signup orchestration (instance id = the requester's signup id) once
/// a <c>Utilisateur</c>'s account is active: it files the request, emails the gestionnaire principal, waits for the
/// decision event or the deadline (the request then lapses), applies the outcome to the membership and tells the
/// requester. It is a phase of the signup orchestration rather than a sub-orchestration: the local host's Azure
/// Storage sidecar cannot carry sub-orchestration start messages (their protobuf tags do not deserialise). Every step
/// is idempotent, so a repaired signup that runs it again picks the request up where it stands.
/// </summary>
public static partial class JoinRequestOrchestrator
{
    static readonly TaskOptions StorageRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    static readonly TaskOptions EmailRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5))
        {
            HandleFailure = failure => !failure.IsCausedBy<Email.PermanentEmailFailureException>(),
        });

    /// <summary>Runs the whole request inside <paramref name="context"/> and returns how it ended.</summary>
    public static async Task<JoinRequestOutcome> RunAsync(TaskOrchestrationContext context, string requestId)
    {
        ILogger logger = context.CreateReplaySafeLogger(nameof(JoinRequestOrchestrator));
        JoinRequestOpened opened = await context.CallActivityAsync<JoinRequestOpened>(JoinRequestActivityNames.Open, requestId, StorageRetry);
        if (opened.Status == JoinRequestStatus.Pending)
        {
            if (opened.HasGestionnaire)
            {
                await SendAsync(context, logger, JoinRequestActivityNames.SendRequestEmail, requestId);
            }
            else
            {
                LogNoGestionnaire(logger, requestId);
            }

            using var deadlineCancellation = new CancellationTokenSource();
            Task<JoinRequestDecided> decided = context.WaitForExternalEvent<JoinRequestDecided>(JoinRequestEvents.Decided);
            Task deadline = context.CreateTimer(opened.ExpiresAt, deadlineCancellation.Token);
            if (await Task.WhenAny(decided, deadline) == decided)
            {
                deadlineCancellation.Cancel();
            }
            else
            {
                // The compare-and-swap decides against a decision arriving at the same moment.
                await context.CallActivityAsync<JoinRequestStatus>(JoinRequestActivityNames.Lapse, requestId, StorageRetry);
            }
        }

        // The stored status is the truth, whichever way it was reached.
        JoinRequestStatus final = await context.CallActivityAsync<JoinRequestStatus>(JoinRequestActivityNames.Complete, requestId, StorageRetry);
        await SendAsync(context, logger, JoinRequestActivityNames.SendOutcomeEmail, requestId);
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
