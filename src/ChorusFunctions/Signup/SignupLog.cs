using ChorusFunctions.Accounts;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Signup;

/// <summary>What a signup's services log, in one place; each class logs under its own category.</summary>
internal static partial class SignupLog
{
    /// <summary>An event that needs no figure of its own ("details submitted", "account activated"…).</summary>
    [LoggerMessage(Message = "Signup {SignupId}: {Event}")]
    public static partial void SignupEvent(this ILogger logger, LogLevel level, string signupId, string @event);

    /// <summary>An event told with the status it leaves the signup in (cancelled, released, ended…).</summary>
    [LoggerMessage(Message = "Signup {SignupId} ({Status}): {Event}")]
    public static partial void StatusEvent(this ILogger logger, LogLevel level, string signupId, SignupStatus status, string @event);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} started ({IdentifierType}, prefilled: {Prefilled}, existing structure: {StructureExists})")]
    public static partial void SignupStarted(this ILogger logger, string signupId, IdentifierType identifierType, bool prefilled, bool structureExists);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId} took over the stale email reservation of signup {PreviousSignupId}")]
    public static partial void ReservationTakenOver(this ILogger logger, string signupId, string previousSignupId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: {Count} workspaces chosen")]
    public static partial void WorkspacesSubmitted(this ILogger logger, string signupId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: new link refused, its {MaxLinks} links are spent")]
    public static partial void LinksExhausted(this ILogger logger, string signupId, int maxLinks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: activated account is {Role} ({Membership})")]
    public static partial void RoleDecided(this ILogger logger, string signupId, MemberRole role, MembershipStatus membership);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: activation link {Sequence} {Delivery}")]
    public static partial void LinkDelivered(this ILogger logger, string signupId, int sequence, string delivery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId} ({Status}) repaired: {Reason}; instance {Previous} replaced by {Current}")]
    public static partial void SignupRepaired(this ILogger logger, string signupId, SignupStatus status, string reason, string previous, string current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: the turn after the change is left to the orchestration ({ErrorType})")]
    public static partial void TurnLeftToOrchestration(this ILogger logger, string signupId, string errorType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: the link's {Decision} came too late, the account is {Status}")]
    public static partial void DecisionTooLate(this ILogger logger, string signupId, AccountStatus decision, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: the same request came again; answered as the first time ({Status})")]
    public static partial void RetryAnswered(this ILogger logger, string signupId, AccountStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signup {SignupId}: instance {InstanceId} was superseded by a repair")]
    public static partial void InstanceSuperseded(this ILogger logger, string signupId, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signup {SignupId}: an email could not be sent after every retry ({ErrorType})")]
    public static partial void EmailFailedAfterRetries(this ILogger logger, string signupId, string errorType);
}
