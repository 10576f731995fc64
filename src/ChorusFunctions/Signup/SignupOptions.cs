namespace ChorusFunctions.Signup;

/// <summary>Settings <c>Signup__*</c>: how long each step of a signup may take.</summary>
public sealed class SignupOptions
{
    public const string Section = "Signup";

    /// <summary>Time allowed for step 2 after step 1, and for step 3 after step 2.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan StepDeadline { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time allowed to activate after step 3; then the signup expires and releases what it reserved.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ActivationDeadline { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Lifetime of one activation link; a new one can be asked for while the signup is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ActivationLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Links one signup may be sent in its life: each goes to an unverified address, and the hourly limit allows dozens a day.</summary>
    [Range(1, 100)]
    public int MaxActivationLinks { get; set; } = 10;

    /// <summary>Attempts at sending an email before the signup shows <c>emailDelivery: Failed</c>.</summary>
    [Range(1, 10)]
    public int EmailAttempts { get; set; } = 5;

    /// <summary>Wake-ups of an orchestration before it continues as new: the row holds the state, so this only bounds history.</summary>
    [Range(2, 1000)]
    public int TurnsPerExecution { get; set; } = 50;

    /// <summary>First retry delay of email sends (doubles each time, at most 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan EmailFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
