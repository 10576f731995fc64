namespace ChorusFunctions.Cleanup;

/// <summary>Settings <c>Privacy__*</c>: how long the personal data of a signup that ended without an account is kept.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>How long an ended signup's personal data (and its never-activated account's) is kept for support, then erased.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
