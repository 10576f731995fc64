namespace ChorusFunctions.Signup;

/// <summary>The one event the signup orchestration waits for: "the row changed, read it again".</summary>
public static class SignupEvents
{
    public const string Changed = "SignupChanged";
}

public static class SignupActivityNames
{
    public const string Advance = "AdvanceSignup";
    public const string RecordEmailFailure = "RecordEmailFailure";
}

// Orchestration payloads carry no secret (password, answer, token) and no deadline: the row holds those, so a repair keeps them.

/// <param name="First">The turn its starter ran (see <see cref="SignupChanged.Step"/>); null: the first turn is the orchestration's.</param>
public sealed record SignupOrchestrationInput(string SignupId, int EmailAttempts, TimeSpan EmailFirstRetryInterval, int TurnsPerExecution, SignupStep? First = null);

/// <param name="Step">The turn the sender ran after its change (the person was waiting for it): the orchestration goes on
/// from it without a turn of its own. Null: the orchestration runs the turn.</param>
public sealed record SignupChanged(DateTime ChangedAt, SignupStep? Step = null);

public sealed record AdvanceSignupInput(string SignupId, string InstanceId);

/// <summary>Where the signup stands after an <see cref="SignupActivityNames.Advance"/>, and until when to wait.</summary>
public sealed record SignupStep(SignupStatus Status, DateTime Deadline, int LinksSent, bool JoinRequest, bool Superseded, string? JoinRequestId = null);

/// <summary>How the signup ended; for a joining user, also how the joining request ended.</summary>
public sealed record SignupOutcome(SignupStatus Status, Structures.JoinRequestStatus? JoinRequest = null);

/// <summary>The sub-orchestration <c>Joining/</c> implements, declared here so Signup depends on no folder above it.</summary>
public static class JoiningStep
{
    public const string Orchestrator = "JoinRequestOrchestrator";

    public const string InstanceSuffix = ":join";

    /// <summary>A signup instance starts at most one request (a renewal runs in its next instance): the child's id follows from its parent's.</summary>
    public static string InstanceIdOf(string signupInstanceId) => signupInstanceId + InstanceSuffix;
}

public sealed record JoinRequestOutcome(Structures.JoinRequestStatus Status);

/// <summary>The orchestration's custom status: the step the signup is waiting for.</summary>
public sealed record SignupProgress(SignupStatus Step, int LinksSent = 0, Structures.JoinRequestStatus? JoinRequest = null);
