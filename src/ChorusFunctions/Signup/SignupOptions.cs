namespace ChorusFunctions.Signup;

/// <summary>Settings <c>Signup__*</c>: the README's settings table says what each one does.</summary>
public sealed class SignupOptions
{
    public const string Section = "Signup";

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan StepDeadline { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ActivationDeadline { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ActivationLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 100)]
    public int MaxActivationLinks { get; set; } = 10;

    [Range(1, 10)]
    public int EmailAttempts { get; set; } = 5;

    [Range(2, 1000)]
    public int TurnsPerExecution { get; set; } = 50;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan EmailFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
