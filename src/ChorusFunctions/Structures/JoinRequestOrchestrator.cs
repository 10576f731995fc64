using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.Structures;

/// <summary>
/// One joining request (rattachement): started by the signup orchestration as a sub-orchestration once a
/// <c>Utilisateur</c>'s account is active. It files the request, emails the gestionnaire principal, waits for the
/// decision or the deadline (the request then lapses), applies the outcome to the membership and tells the
/// requester. Instance id: <see cref="InstanceIdOf"/>.
/// </summary>
public static partial class JoinRequestOrchestrator
{
    public const string Name = nameof(JoinRequestOrchestrator);

    static readonly TaskOptions StorageRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    static readonly TaskOptions EmailRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5))
        {
            HandleFailure = failure => !failure.IsCausedBy<Email.PermanentEmailFailureException>(),
        });

    public static string InstanceIdOf(string requestId) => $"{requestId}-join";

    [Function(Name)]
    public static async Task<JoinRequestOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        JoinRequestInput input = context.GetInput<JoinRequestInput>()
            ?? throw new InvalidOperationException("The joining-request orchestration needs its input.");
        ILogger logger = context.CreateReplaySafeLogger(Name);

        var open = new OpenJoinRequestInput(input.RequestId, context.NewGuid());
        JoinRequestOpened opened = await context.CallActivityAsync<JoinRequestOpened>(JoinRequestActivityNames.Open, open, StorageRetry);
        if (opened.Status == JoinRequestStatus.Pending)
        {
            context.SetCustomStatus(new JoinRequestProgress(JoinRequestStatus.Pending, opened.ExpiresAt));
            if (opened.HasGestionnaire)
            {
                await SendAsync(context, logger, JoinRequestActivityNames.SendRequestEmail, open, input.RequestId);
            }
            else
            {
                LogNoGestionnaire(logger, input.RequestId);
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
                await context.CallActivityAsync<JoinRequestStatus>(JoinRequestActivityNames.Lapse, input.RequestId, StorageRetry);
            }
        }

        // The stored status is the truth, whichever way it was reached.
        JoinRequestStatus final = await context.CallActivityAsync<JoinRequestStatus>(JoinRequestActivityNames.Complete, input.RequestId, StorageRetry);
        context.SetCustomStatus(new JoinRequestProgress(final));
        await SendAsync(context, logger, JoinRequestActivityNames.SendOutcomeEmail, input.RequestId, input.RequestId);
        LogEnded(logger, input.RequestId, final);
        return new JoinRequestOutcome(final);
    }

    static async Task SendAsync(TaskOrchestrationContext context, ILogger logger, string activity, object input, string requestId)
    {
        try
        {
            await context.CallActivityAsync<bool>(activity, input, EmailRetry);
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
