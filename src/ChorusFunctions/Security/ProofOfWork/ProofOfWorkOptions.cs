namespace ChorusFunctions.Security.ProofOfWork;

/// <summary>
/// The proof of work of step 1 (<c>ProofOfWork__*</c>). It is on whenever a captcha is (<c>Captcha__Provider</c>
/// other than <c>None</c>): one setting turns both off for tests and scripts.
/// </summary>
public sealed class ProofOfWorkOptions
{
    public const string Section = "ProofOfWork";

    /// <summary>
    /// The secret number is drawn from 0 to this: a browser tries on average half of them (one SHA-256 each).
    /// 60,000 is about a second on a mid-range phone (README, "Proof of work").
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int MaxNumber { get; set; } = 60_000;

    /// <summary>How long a challenge can be solved and sent; it is solved when step 1 is submitted, so this is short.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(2);
}
