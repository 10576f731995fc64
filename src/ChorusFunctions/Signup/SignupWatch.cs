using ChorusFunctions.Accounts;
using ChorusFunctions.Cleanup;
using ChorusFunctions.Security.Audit;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Telemetry;

namespace ChorusFunctions.Signup;

/// <summary>
/// Starts a signup's orchestration once its row first owes something (step 3, a cancellation, a passed deadline),
/// runs the turn a waiting person's request owes, wakes the orchestration after a change and books looks; at a look,
/// one that failed, vanished or stalled is replaced, and one asleep on a step its row has left is woken.
/// </summary>
public sealed class SignupWatch(
    ExpiryIndex index,
    SignupStore signups,
    AccountStore accounts,
    SignupStateMachine machine,
    SignupLifecycle lifecycle,
    SignupMetrics metrics,
    AuditTrail audit,
    ExistingAccountNotifier attempts,
    IOptions<SignupOptions> signupOptions,
    IOptions<CleanupOptions> cleanupOptions,
    TimeProvider time,
    ILogger<SignupWatch> logger)
{
    /// <summary>Starts the orchestration of the signup's current generation, unless it runs already.</summary>
    public Task StartAsync(SignupEntity signup, DurableTaskClient durable, CancellationToken cancellationToken) =>
        StartAsync(signup, durable, ranHere: null, cancellationToken);

    /// <summary>
    /// After a change a person waits on (step 3, a cancellation): the orchestration starts side by side with the turn
    /// the row owes, asleep where the turn will leave the row (it sends the owed link or releases; the row keeps its
    /// step and deadline). A turn that fails, or leaves the row elsewhere, wakes it with what it did.
    /// </summary>
    public async Task AdvanceAndStartAsync(SignupEntity signup, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var asleep = new SignupStep(signup.Status, signup.ExpiresAt.UtcDateTime, signup.LinkRequested, JoinRequest: false, Superseded: false);
        Task start = StartAsync(signup, durable, asleep, cancellationToken);
        Task<SignupStep?> turn = TurnAsync(signup, cancellationToken);
        await Task.WhenAll(start, turn);
        if (await turn is var step && step != asleep)
        {
            await WakeAsync(signup, durable, step, cancellationToken);
        }
    }

    async Task StartAsync(SignupEntity signup, DurableTaskClient durable, SignupStep? ranHere, CancellationToken cancellationToken)
    {
        string instanceId = SignupStateMachine.InstanceIdOf(signup);
        SignupOptions settings = signupOptions.Value;
        var input = new SignupOrchestrationInput(signup.SignupId, settings.EmailAttempts, settings.EmailFirstRetryInterval, settings.TurnsPerExecution, ranHere);
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(SignupOrchestrator.Name, input, new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A concurrent retry of step 1 may have started it (some hosts refuse a running instance with an exception).
            if (await durable.GetInstanceAsync(instanceId, cancellationToken) is null)
            {
                throw;
            }
        }
    }

    /// <summary>Booked before a step's transition, so a host that dies right after it still leaves a look behind.</summary>
    public Task BookLookAsync(string signupId, CancellationToken cancellationToken) =>
        index.AddAsync(ExpiryKind.Signup, signupId, time.GetUtcNow() + cleanupOptions.Value.StallAfter, cancellationToken);

    /// <summary>The backstop behind the orchestration's own timer: a look at the signup once its deadline is well past.</summary>
    public Task BookDeadlineAsync(SignupEntity signup, CancellationToken cancellationToken) =>
        index.AddAsync(ExpiryKind.Signup, signup.SignupId, signup.ExpiresAt + cleanupOptions.Value.Grace, cancellationToken);

    /// <summary>How long a person waits on the turn run for them; past it, the orchestration's turn takes over.</summary>
    public static readonly TimeSpan TurnBudget = TimeSpan.FromSeconds(5);

    /// <summary>Tells the orchestration to read the row again. Lost on a crash, it is the booked look that repairs.</summary>
    public Task WakeAsync(SignupEntity signup, DurableTaskClient durable, CancellationToken cancellationToken) =>
        WakeAsync(signup, durable, ranHere: null, cancellationToken);

    /// <summary>After a change a person waits on (an activation, a closure, a new link): the turn the row owes runs here, then the orchestration is woken with its step.</summary>
    public async Task AdvanceAndWakeAsync(SignupEntity signup, DurableTaskClient durable, CancellationToken cancellationToken) =>
        await WakeAsync(signup, durable, await TurnAsync(signup, cancellationToken), cancellationToken);

    /// <summary>
    /// The turn the row now owes, run in the request a person waits on: its email leaves at once, and the
    /// orchestration goes on from the step without a turn (an activity) of its own. A turn that fails or takes too
    /// long here (null) is left to the orchestration's, with its retries; turns are idempotent.
    /// </summary>
    async Task<SignupStep?> TurnAsync(SignupEntity signup, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TurnBudget);
        try
        {
            return await lifecycle.AdvanceAsync(new AdvanceSignupInput(signup.SignupId, SignupStateMachine.InstanceIdOf(signup)), budget.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.TurnLeftToOrchestration(signup.SignupId, ex.GetType().Name);
            return null;
        }
    }

    async Task WakeAsync(SignupEntity signup, DurableTaskClient durable, SignupStep? ranHere, CancellationToken cancellationToken)
    {
        string instanceId = SignupStateMachine.InstanceIdOf(signup);
        await WhenStartedAsync(async token => StartPending(await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, token)), StartBudget, time, cancellationToken);
        await durable.RaiseEventAsync(instanceId, SignupEvents.Changed, new SignupChanged(time.GetUtcNow().UtcDateTime, ranHere), cancellationToken);
    }

    /// <summary>How long a wake waits at most for the start it follows to be processed.</summary>
    public static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(5);

    static readonly TimeSpan StartPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// An event the Azure Storage backend fetches before the start it follows is dropped (Azure/durabletask#720), and
    /// a start fetched before its client wrote the instance's row is put back for seconds: a wake right after a start
    /// (an activation seconds after step 3) would be lost, and the orchestration would sleep until a look. So a wake
    /// waits while the start is pending (<see cref="StartPending"/>), within a budget; past it, the look repairs.
    /// </summary>
    internal static async Task WhenStartedAsync(Func<CancellationToken, Task<bool>> startPending, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken)
    {
        long since = time.GetTimestamp();
        while (await startPending(cancellationToken) && time.GetElapsedTime(since) < budget)
        {
            await Task.Delay(StartPoll, time, cancellationToken);
        }
    }

    /// <summary>A booked look fell due: repairs the signup if its row is owed something its orchestration is not doing.</summary>
    public async Task<bool> RepairIfNeededAsync(string signupId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (await signups.GetAsync(signupId, cancellationToken) is not { } signup)
        {
            return false;
        }

        string previous = SignupStateMachine.InstanceIdOf(signup);
        OrchestrationMetadata? instance = await durable.GetInstanceAsync(previous, getInputsAndOutputs: true, cancellationToken);
        bool settled = Settled(signup);
        (bool wake, bool lookAgain) = LookAt(instance, signup, settled);
        if (wake)
        {
            logger.StatusEvent(LogLevel.Information, signupId, signup.Status, "orchestration asleep on a step the row has left: woken");
            await WakeAsync(signup, durable, cancellationToken);
        }

        if (lookAgain)
        {
            await BookLookAsync(signupId, cancellationToken);
        }

        if (wake || settled)
        {
            return false;
        }

        if (instance is null)
        {
            return await StartIfOwedAsync(signup, durable, cancellationToken);
        }

        (string? reason, DateTimeOffset? lookAgainAt) = await DiagnoseAsync(signup, instance, cancellationToken);
        if (reason is null)
        {
            // Owed, but not for long yet: look again once it has waited long enough. Healthy for now: the chain of
            // looks goes on to the deadline, whatever became of the later bookings.
            await (lookAgainAt is { } at ? index.AddAsync(ExpiryKind.Signup, signupId, at, cancellationToken) : BookDeadlineAsync(signup, cancellationToken));
            return false;
        }

        Transition next = await machine.NextGenerationAsync(signupId, signup.Generation, cancellationToken);
        if (!next.Applied || next.Row is not { } repaired)
        {
            return false; // Repaired meanwhile by another look.
        }

        await StartAsync(repaired, durable, cancellationToken);
        await BookLookAsync(signupId, cancellationToken);
        try
        {
            // Recursive: a joining request it was following goes with it; the new instance starts it again.
            await durable.TerminateInstanceAsync(previous, new TerminateInstanceOptions { Output = "superseded by a repair", Recursive = true }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Gone, finished, or too broken to take the message: it is fenced off by the row's generation anyway.
        }

        await RecordRepairAsync(signup, reason, previous, SignupStateMachine.InstanceIdOf(repaired));
        return true;
    }

    /// <summary>
    /// No instance yet. Before step 3 that is the rule: a passed deadline starts it (to expire and release), and an
    /// address held by an account has its owner told of the attempt. After step 3, or cancelled, the host died
    /// between the step and the start: the same instance is started, and that is a repair.
    /// </summary>
    async Task<bool> StartIfOwedAsync(SignupEntity signup, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        bool beforeStepThree = signup.Status is SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces;
        if (beforeStepThree && signup.ExpiresAt > time.GetUtcNow())
        {
            if (signup.Status == SignupStatus.AwaitingDetails)
            {
                await attempts.NotifyAsync(signup.LoginEmail, client: null, cancellationToken, attempt: (signup.SignupId, signup.CreatedAt));
            }

            await BookDeadlineAsync(signup, cancellationToken);
            return false;
        }

        await StartAsync(signup, durable, cancellationToken);
        if (beforeStepThree)
        {
            return false;
        }

        string instanceId = SignupStateMachine.InstanceIdOf(signup);
        await RecordRepairAsync(signup, "orchestration missing", instanceId, instanceId);
        return true;
    }

    async Task RecordRepairAsync(SignupEntity signup, string reason, string previous, string next)
    {
        metrics.SignupRepaired(reason);
        await audit.RecordAsync(signup.SignupId, AuditEvent.Repair, client: null, reason);
        logger.SignupRepaired(signup.SignupId, signup.Status, reason, previous, next);
    }

    /// <summary>Why the signup needs a repair (null: it does not), or when to look again at a duty not yet overdue.</summary>
    async Task<(string? Reason, DateTimeOffset? LookAgainAt)> DiagnoseAsync(SignupEntity signup, OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        TimeSpan stallAfter = cleanupOptions.Value.StallAfter;
        SignupStatus status = signup.Status;
        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending))
        {
            return ($"orchestration {instance.RuntimeStatus}", null);
        }

        AccountEntity? account = status is SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces ? null : await accounts.GetAsync(signup.SignupId, cancellationToken);
        DateTimeOffset? decidedAt = account?.ActivatedAt ?? account?.ClosedAt;
        (string Reason, DateTimeOffset? Since, TimeSpan Allowance)? duty = status switch
        {
            _ when !status.IsTerminal() && signup.ExpiresAt + cleanupOptions.Value.Grace <= now => ("deadline passed", signup.ExpiresAt, cleanupOptions.Value.Grace),
            SignupStatus.AwaitingActivation when SignupStateMachine.LinkOwed(signup) => ("activation link not sent", signup.LinkRequestedAt, stallAfter),
            SignupStatus.AwaitingActivation when account?.Status is AccountStatus.Active or AccountStatus.Cancelled => ("account decided, signup behind", decidedAt, stallAfter),
            SignupStatus.Active when !signup.Finalized || SignupStateMachine.NoticeOwed(signup) => ("activation not finalized", decidedAt ?? signup.Timestamp, stallAfter),
            SignupStatus.Expired or SignupStatus.Cancelled => ("release not done", decidedAt ?? signup.Timestamp, stallAfter),
            _ => null,
        };
        if (duty is not { } owed)
        {
            return (null, null);
        }

        DateTimeOffset since = owed.Since is { } s && signup.RepairedAt is { } r && r > s ? r : owed.Since ?? now;
        return since + owed.Allowance <= now ? (owed.Reason, null) : (null, since + owed.Allowance);
    }

    /// <summary>
    /// Whether the look wakes the orchestration, and whether it looks again later. An event sent before the start it
    /// follows was processed is dropped by the backend, and an orchestration started from its starter's turn does not
    /// read the row: it would sleep to the deadline on a step the row has left. Woken, it reads the row and goes on (it
    /// ends, or follows the joining request). One whose start is not processed yet (put back by the backend's start
    /// race, or held by a host that died) will start asleep where its input says, so this one looks again, to wake it
    /// then, settled or not: the rest of the look books nothing soon for a duty only the orchestration knows of (an
    /// activated member's joining request to follow).
    /// </summary>
    internal static (bool Wake, bool LookAgain) LookAt(OrchestrationMetadata? instance, SignupEntity signup, bool settled) =>
        SleepsBehind(instance, signup) ? (true, !settled)
        : (false, StartPending(instance));

    /// <summary>
    /// The instance's start is not processed yet. Only a running orchestration sets a custom status, so one shown
    /// <c>Pending</c> with it has run: a start delivered again after a host died, and dropped as a duplicate, can leave
    /// the instance's row so, its history intact.
    /// </summary>
    internal static bool StartPending(OrchestrationMetadata? instance) =>
        instance is { RuntimeStatus: OrchestrationRuntimeStatus.Pending, SerializedCustomStatus: null };

    /// <summary>The orchestration runs (see <see cref="StartPending"/>), asleep on a step (its custom status) the row has left.</summary>
    static bool SleepsBehind(OrchestrationMetadata? instance, SignupEntity signup) =>
        instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending }
        && instance.ReadCustomStatusAs<SignupProgress>() is { } progress && progress.Step != signup.Status;

    /// <summary>Nothing left to do for the signup, nor for an orchestration.</summary>
    static bool Settled(SignupEntity signup) =>
        signup.Status.IsTerminal()
        && (signup.Status == SignupStatus.Active ? signup.Finalized : signup.Released)
        && !SignupStateMachine.NoticeOwed(signup)
        && !SignupStateMachine.JoinRequestOpen(signup);
}
