namespace ChorusFunctions.Security.ProofOfWork;

/// <summary>Step 1's proof of work (<c>ProofOfWork__*</c>): on whenever the captcha is, so one setting turns both off.</summary>
public sealed class ProofOfWorkOptions
{
    public const string Section = "ProofOfWork";

    /// <summary>The secret number's maximum; a browser tries half on average: 60,000 is about a second on a mid-range phone.</summary>
    [Range(1_000, 10_000_000)]
    public int MaxNumber { get; set; } = 60_000;

    /// <summary>How long a challenge can be solved and sent; it is solved when step 1 is submitted, so this is short.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(2);
}
