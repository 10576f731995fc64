namespace ChorusFunctions.Signup;

/// <summary>External event names. Each waiting phase has its own name (see DESIGN.md pitfalls).</summary>
public static class SignupEvents
{
    public const string DetailsSubmitted = "DetailsSubmitted";
    public const string WorkspacesSubmitted = "WorkspacesSubmitted";
    public const string NewLinkRequested = "NewLinkRequested";
    public const string ActivationCompleted = "ActivationCompleted";
    public const string DeactivationRequested = "DeactivationRequested";
    public const string SignupCancelled = "SignupCancelled";
}

/// <summary>Activity names, referenced by the orchestrator and by the <c>[Function]</c> attributes.</summary>
public static class SignupActivityNames
{
    public const string CreatePendingAccount = "CreatePendingAccount";
    public const string SendActivationLink = "SendActivationLink";
    public const string RecordEmailFailure = "RecordEmailFailure";
    public const string FinalizeActivation = "FinalizeActivation";
    public const string ExpireSignup = "ExpireSignup";
    public const string ReleaseSignup = "ReleaseSignup";
    public const string SendSignupNotice = "SendSignupNotice";
}

// Orchestration inputs, outputs and event payloads. None carries a secret: no password, answer or token.

/// <summary>Deadlines are absolute times computed by the HTTP step that set them, so the user sees the same one.</summary>
public sealed record SignupOrchestrationInput(string SignupId, DateTime DetailsDeadline, int EmailAttempts, TimeSpan EmailFirstRetryInterval);

public sealed record DetailsSubmitted(DateTime WorkspacesDeadline);

public sealed record WorkspacesSubmitted(DateTime ActivationDeadline);

public sealed record NewLinkRequested(DateTime RequestedAt);

public sealed record ActivationCompleted(DateTime ActivatedAt);

public sealed record DeactivationRequested(DateTime RequestedAt);

public sealed record SignupCancelled(DateTime CancelledAt);

public sealed record SendActivationLinkInput(string SignupId, int Sequence, Guid Nonce);

/// <summary>An email telling the user how the signup ended.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SignupNotice>))]
public enum SignupNotice
{
    Welcome,
    Expired,
}

public sealed record SignupNoticeInput(string SignupId, SignupNotice Notice);

public sealed record PendingAccountCreated(string Role, string Membership);

/// <summary>How the signup ended; for a joining user, also how the joining request ended.</summary>
public sealed record SignupOutcome(SignupStatus Status, Structures.JoinRequestStatus? JoinRequest = null);

/// <summary>The orchestration's custom status: the step the signup is waiting for.</summary>
public sealed record SignupProgress(SignupStatus Step, int LinksSent = 0, Structures.JoinRequestStatus? JoinRequest = null);
