namespace ChorusFunctions.Security.Enumeration;

/// <summary>Setting <c>Security__EnumerationProtection</c>: whether steps 1 to 3 may say that an email is taken.</summary>
public sealed class EnumerationProtectionOptions
{
    public const string Section = "Security";

    /// <summary>
    /// True: an email that has an account or a signup in progress is answered exactly like a fresh one, and what
    /// differs goes by email to the address (the attempt notice instead of an activation link). False: step 1 and
    /// step 2 answer <c>409 email_taken</c>, for operators who prefer a clear refusal to a silent one.
    /// </summary>
    public bool EnumerationProtection { get; set; } = true;
}
