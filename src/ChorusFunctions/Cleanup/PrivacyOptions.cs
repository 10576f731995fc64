namespace ChorusFunctions.Cleanup;

/// <summary>Settings <c>Privacy__*</c>: how long the personal data of a signup that ended without an account is kept.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// After an expired or cancelled signup released what it held, its personal data (and that of its never-activated
    /// account) is kept this long — for the user's questions and support — then erased by the cleanup.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
