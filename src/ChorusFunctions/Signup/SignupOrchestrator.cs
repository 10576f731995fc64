using ChorusFunctions.Email;
using ChorusFunctions.Structures;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ChorusFunctions.Signup;

/// <summary>
/// One orchestration per signup (instance id = signup id). It waits for each step with a deadline, runs the
/// side effects as activities, and ends the signup as Active, Cancelled or Expired. Deterministic: time comes
/// from the context, ids from <see cref="TaskOrchestrationContext.NewGuid"/>, deadlines from the events.
/// </summary>
public static partial class SignupOrchestrator
{
    public const string Name = nameof(SignupOrchestrator);

    static readonly TaskOptions StorageRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    [Function(Name)]
    public static async Task<SignupOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        SignupOrchestrationInput input = context.GetInput<SignupOrchestrationInput>()
            ?? throw new InvalidOperationException("The signup orchestration needs its input.");
        ILogger logger = context.CreateReplaySafeLogger(Name);

        // Before step 3 the user may abandon the signup (a new step 1); waited for once, across both steps.
        Task<SignupCancelled> cancelled = context.WaitForExternalEvent<SignupCancelled>(SignupEvents.SignupCancelled);

        context.SetCustomStatus(new SignupProgress(SignupStatus.AwaitingDetails));
        DetailsSubmitted? details = await WaitUntilAsync<DetailsSubmitted>(context, SignupEvents.DetailsSubmitted, input.DetailsDeadline, cancelled);
        if (details is null)
        {
            return await EndEarlyAsync(context, logger, input.SignupId, SignupStatus.AwaitingDetails, cancelled);
        }

        context.SetCustomStatus(new SignupProgress(SignupStatus.AwaitingWorkspaces));
        WorkspacesSubmitted? workspaces = await WaitUntilAsync<WorkspacesSubmitted>(context, SignupEvents.WorkspacesSubmitted, details.WorkspacesDeadline, cancelled);
        if (workspaces is null)
        {
            return await EndEarlyAsync(context, logger, input.SignupId, SignupStatus.AwaitingWorkspaces, cancelled);
        }

        PendingAccountCreated account = await context.CallActivityAsync<PendingAccountCreated>(SignupActivityNames.CreatePendingAccount, input.SignupId, StorageRetry);

        // Activation, deactivation and the deadline are each waited for once, across every link sent.
        using var deadlineCancellation = new CancellationTokenSource();
        Task deadline = context.CreateTimer(workspaces.ActivationDeadline, deadlineCancellation.Token);
        Task<ActivationCompleted> activated = context.WaitForExternalEvent<ActivationCompleted>(SignupEvents.ActivationCompleted);
        Task<DeactivationRequested> deactivated = context.WaitForExternalEvent<DeactivationRequested>(SignupEvents.DeactivationRequested);
        TaskOptions emailRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            input.EmailAttempts, input.EmailFirstRetryInterval, backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5))
        {
            HandleFailure = failure => !failure.IsCausedBy<PermanentEmailFailureException>(),
        });

        for (int sequence = 1; ; sequence++)
        {
            context.SetCustomStatus(new SignupProgress(SignupStatus.AwaitingActivation, sequence - 1));
            await SendLinkAsync(context, logger, input.SignupId, sequence, emailRetry);
            context.SetCustomStatus(new SignupProgress(SignupStatus.AwaitingActivation, sequence));

            // A completed (not cancelled) wait may be followed by a new wait on the same name safely.
            Task<NewLinkRequested> newLink = context.WaitForExternalEvent<NewLinkRequested>(SignupEvents.NewLinkRequested);
            Task winner = await Task.WhenAny(activated, deactivated, newLink, deadline);
            if (winner == newLink)
            {
                continue;
            }

            if (winner == activated)
            {
                deadlineCancellation.Cancel();
                await context.CallActivityAsync(SignupActivityNames.FinalizeActivation, input.SignupId, StorageRetry);
                await SendNoticeAsync(context, logger, input.SignupId, SignupNotice.Welcome, emailRetry);
                context.SetCustomStatus(new SignupProgress(SignupStatus.Active, sequence));
                LogEnded(logger, input.SignupId, SignupStatus.Active);
                return new SignupOutcome(SignupStatus.Active, await FollowJoinRequestAsync(context, input.SignupId, account));
            }

            if (winner == deactivated)
            {
                deadlineCancellation.Cancel();
                await context.CallActivityAsync(SignupActivityNames.ReleaseSignup, input.SignupId, StorageRetry);
                context.SetCustomStatus(new SignupProgress(SignupStatus.Cancelled, sequence));
                LogEnded(logger, input.SignupId, SignupStatus.Cancelled);
                return new SignupOutcome(SignupStatus.Cancelled);
            }

            SignupOutcome outcome = await ExpireAsync(context, logger, input.SignupId, SignupStatus.AwaitingActivation, account);
            if (outcome.Status == SignupStatus.Expired)
            {
                // Only a user who was sent a link hears of the expiry: nobody else has confirmed interest.
                await SendNoticeAsync(context, logger, input.SignupId, SignupNotice.Expired, emailRetry);
            }

            return outcome;
        }
    }

    /// <summary>A notice that cannot be sent is logged, not fatal: the signup's outcome stands.</summary>
    static async Task SendNoticeAsync(TaskOrchestrationContext context, ILogger logger, string signupId, SignupNotice notice, TaskOptions retry)
    {
        try
        {
            await context.CallActivityAsync(SignupActivityNames.SendSignupNotice, new SignupNoticeInput(signupId, notice), retry);
        }
        catch (TaskFailedException ex)
        {
            LogNoticeFailed(logger, signupId, notice, ex.FailureDetails.ErrorType);
        }
    }

    /// <summary>
    /// A joining user whose account became active files the joining request and waits for its outcome within this
    /// orchestration (see <see cref="JoinRequestOrchestrator"/>). The signup itself is Active already; its row shows the
    /// membership as the request goes. Returns how the request ended (null for a gestionnaire principal).
    /// </summary>
    static async Task<JoinRequestStatus?> FollowJoinRequestAsync(TaskOrchestrationContext context, string signupId, PendingAccountCreated account)
    {
        if (account.Role != nameof(MemberRole.Utilisateur) || account.Membership != nameof(MembershipStatus.PendingApproval))
        {
            return null;
        }

        context.SetCustomStatus(new SignupProgress(SignupStatus.Active, JoinRequest: JoinRequestStatus.Pending));
        JoinRequestOutcome outcome = await JoinRequestOrchestrator.RunAsync(context, signupId);
        context.SetCustomStatus(new SignupProgress(SignupStatus.Active, JoinRequest: outcome.Status));
        return outcome.Status;
    }

    /// <summary>
    /// Waits for one event until an absolute deadline; null when the deadline or a cancellation came first. The
    /// timer is cancelled whatever ends the wait, so a finished orchestration leaves no timer behind.
    /// </summary>
    static async Task<T?> WaitUntilAsync<T>(TaskOrchestrationContext context, string eventName, DateTime deadline, Task cancelled)
        where T : class
    {
        using var timerCancellation = new CancellationTokenSource();
        Task<T> received = context.WaitForExternalEvent<T>(eventName);
        Task timer = context.CreateTimer(deadline, timerCancellation.Token);
        Task winner = await Task.WhenAny(received, timer, cancelled);
        if (winner != timer)
        {
            timerCancellation.Cancel();
        }

        return winner == received ? await received : null;
    }

    /// <summary>Before step 3 a signup ends by its deadline or by the user's cancellation.</summary>
    static async Task<SignupOutcome> EndEarlyAsync(TaskOrchestrationContext context, ILogger logger, string signupId, SignupStatus step, Task cancelled)
    {
        if (!cancelled.IsCompleted)
        {
            return await ExpireAsync(context, logger, signupId, step);
        }

        // The HTTP step already released everything; this makes sure of it (idempotent).
        await context.CallActivityAsync(SignupActivityNames.ReleaseSignup, signupId, StorageRetry);
        context.SetCustomStatus(new SignupProgress(SignupStatus.Cancelled));
        LogEnded(logger, signupId, SignupStatus.Cancelled);
        return new SignupOutcome(SignupStatus.Cancelled);
    }

    static async Task SendLinkAsync(TaskOrchestrationContext context, ILogger logger, string signupId, int sequence, TaskOptions retry)
    {
        try
        {
            await context.CallActivityAsync<bool>(SignupActivityNames.SendActivationLink, new SendActivationLinkInput(signupId, sequence, context.NewGuid()), retry);
        }
        catch (TaskFailedException ex)
        {
            // Nothing is lost: the signup shows emailDelivery Failed and the user can ask for a new link.
            LogEmailFailed(logger, signupId, sequence, ex.FailureDetails.ErrorType);
            await context.CallActivityAsync(SignupActivityNames.RecordEmailFailure, signupId, StorageRetry);
        }
    }

    static async Task<SignupOutcome> ExpireAsync(TaskOrchestrationContext context, ILogger logger, string signupId, SignupStatus step, PendingAccountCreated? account = null)
    {
        LogDeadline(logger, signupId, step);
        SignupStatus final = await context.CallActivityAsync<SignupStatus>(SignupActivityNames.ExpireSignup, signupId, StorageRetry);
        context.SetCustomStatus(new SignupProgress(final));
        LogEnded(logger, signupId, final);
        // Activation may have won the race against the deadline: a joining user's request then goes on.
        JoinRequestStatus? joinRequest = final == SignupStatus.Active && account is not null ? await FollowJoinRequestAsync(context, signupId, account) : null;
        return new SignupOutcome(final, joinRequest);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: deadline of step {Step} passed")]
    static partial void LogDeadline(ILogger logger, string signupId, SignupStatus step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} orchestration ended as {Status}")]
    static partial void LogEnded(ILogger logger, string signupId, SignupStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: the {Notice} email could not be sent ({ErrorType})")]
    static partial void LogNoticeFailed(ILogger logger, string signupId, SignupNotice notice, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: activation link {Sequence} could not be sent ({ErrorType})")]
    static partial void LogEmailFailed(ILogger logger, string signupId, int sequence, string errorType);
}
