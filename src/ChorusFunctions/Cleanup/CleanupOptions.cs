namespace ChorusFunctions.Cleanup;

/// <summary>Settings <c>Cleanup__*</c>. The schedule itself is <c>%Cleanup__Schedule%</c> on the timer trigger.</summary>
public sealed class CleanupOptions : IValidatableObject
{
    public const string Section = "Cleanup";

    /// <summary>NCRONTAB with seconds (Functions format).</summary>
    [Required]
    public string Schedule { get; set; } = "0 */5 * * * *";

    /// <summary>Finished orchestration instances older than this are purged.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Time past a deadline left to the orchestration: the backstop must not race a healthy one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a step a signup owes may wait for its orchestration before the cleanup starts a new one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Index entries handled per run, so one run stays short.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Scheduling.TimerSchedule.TryParse(Schedule) is null
        ? [new ValidationResult("Cleanup__Schedule must be an NCRONTAB expression (six fields, with seconds).", [nameof(Schedule)])]
        : [];
}
