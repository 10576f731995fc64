using ChorusFunctions.Structures;

namespace ChorusFunctions.Signup;

/// <summary>Stateless: each turn does what the signup's row owes, then sleeps until the row changes or its deadline comes.</summary>
public static class SignupOrchestrator
{
    public const string Name = nameof(SignupOrchestrator);

    [Function(Name)]
    public static async Task<SignupOutcome> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        SignupOrchestrationInput input = context.GetInput<SignupOrchestrationInput>()
            ?? throw new InvalidOperationException("The signup orchestration needs its input.");
        ILogger logger = context.CreateReplaySafeLogger(Name);
        var advance = new AdvanceSignupInput(input.SignupId, context.InstanceId);
        TaskOptions retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            input.EmailAttempts, input.EmailFirstRetryInterval, backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5)));

        // A wait that lost to the deadline stays pending and is reused: waiting again on the same name would let the
        // abandoned wait swallow the next event.
        Task<SignupChanged>? changed = null;
        SignupStep? ranBySender = input.First;
        bool failedBefore = false;
        for (int turn = 0; turn < input.TurnsPerExecution; turn++)
        {
            SignupStep step;
            try
            {
                step = ranBySender ?? await context.CallActivityAsync<SignupStep>(SignupActivityNames.Advance, advance, retry);
                ranBySender = null;
                failedBefore = false;
            }
            catch (TaskFailedException ex) when (!failedBefore)
            {
                // Most likely the email provider: the signup shows emailDelivery Failed and the user can ask again. A
                // second failure in a row is something else: the orchestration fails, and a repair restarts it.
                logger.EmailFailedAfterRetries(input.SignupId, ex.FailureDetails.ErrorType);
                await context.CallActivityAsync(SignupActivityNames.RecordEmailFailure, advance, retry);
                failedBefore = true;
                continue;
            }

            context.SetCustomStatus(new SignupProgress(step.Status, step.LinksSent));
            if (step.Superseded)
            {
                logger.InstanceSuperseded(input.SignupId, context.InstanceId);
                return new SignupOutcome(step.Status);
            }

            if (step.Status.IsTerminal())
            {
                logger.StatusEvent(LogLevel.Information, input.SignupId, step.Status, "orchestration ended");
                return new SignupOutcome(step.Status, step.JoinRequest ? await FollowJoinRequestAsync(context, input.SignupId, step) : null);
            }

            changed ??= context.WaitForExternalEvent<SignupChanged>(SignupEvents.Changed);
            using var timerCancellation = new CancellationTokenSource();
            Task deadline = context.CreateTimer(step.Deadline, timerCancellation.Token);
            if (await Task.WhenAny(changed, deadline) == changed)
            {
                timerCancellation.Cancel();
                ranBySender = (await changed).Step;
                changed = null;
            }
        }

        // A fresh history bounds its growth; nothing is carried over, as the next execution's first turn reads the row.
        context.ContinueAsNew(input with { First = null }, preserveUnprocessedEvents: false);
        return new SignupOutcome(SignupStatus.AwaitingActivation);
    }

    /// <summary>A joining user's request runs as a sub-orchestration (<see cref="JoiningStep"/>), followed to its end.</summary>
    static async Task<JoinRequestStatus> FollowJoinRequestAsync(TaskOrchestrationContext context, string signupId, SignupStep step)
    {
        context.SetCustomStatus(new SignupProgress(SignupStatus.Active, step.LinksSent, JoinRequestStatus.Pending));
        // A renewed request runs in a new instance, with its own request id; histories from before carry none.
        JoinRequestOutcome outcome = await context.CallSubOrchestratorAsync<JoinRequestOutcome>(
            JoiningStep.Orchestrator,
            step.JoinRequestId ?? signupId,
            new SubOrchestrationOptions { InstanceId = JoiningStep.InstanceIdOf(context.InstanceId) });
        context.SetCustomStatus(new SignupProgress(SignupStatus.Active, step.LinksSent, outcome.Status));
        return outcome.Status;
    }
}
