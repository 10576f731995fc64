namespace ChorusFunctions.Signup;

/// <summary>Where a signup stands. Terminal states: Active, Expired, Cancelled.</summary>
public enum SignupStatus
{
    AwaitingDetails,
    AwaitingWorkspaces,
    AwaitingActivation,
    Active,
    Expired,
    Cancelled,
}

public enum EmailDelivery
{
    Pending,
    Sent,
    Failed,
}

public static class SignupStatusExtensions
{
    public static bool IsTerminal(this SignupStatus status) =>
        status is SignupStatus.Active or SignupStatus.Expired or SignupStatus.Cancelled;
}
