namespace ChorusFunctions.Signup;

/// <summary>Where a signup stands. Terminal states: Active, Expired, Cancelled.</summary>
/// <remarks>Serialised by name everywhere, including orchestration status and history, so operators can read them.</remarks>
[JsonConverter(typeof(JsonStringEnumConverter<SignupStatus>))]
public enum SignupStatus
{
    AwaitingDetails,
    AwaitingWorkspaces,
    AwaitingActivation,
    Active,
    Expired,
    Cancelled,
}

[JsonConverter(typeof(JsonStringEnumConverter<EmailDelivery>))]
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
