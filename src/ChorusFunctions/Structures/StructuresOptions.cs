namespace ChorusFunctions.Structures;

/// <summary>Settings <c>Structures__*</c>: joining requests (rattachement).</summary>
public sealed class StructuresOptions
{
    public const string Section = "Structures";

    /// <summary>How long the gestionnaire principal has to decide; then the request lapses and the requester is told.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "60.00:00:00")]
    public TimeSpan JoinRequestDeadline { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The front end's joining-request page (links add <c>?token=…&amp;decision=…</c>). It shows the request and POSTs the
    /// decision: a link alone never decides, so mail scanners that open links cannot approve anything.
    /// </summary>
    [Required, Url]
    public string JoinRequestUrlBase { get; set; } = "http://localhost:7071/rattachement";

    /// <summary>Joining requests one account may file for its structure, the first included (a refused or lapsed requester asks again).</summary>
    [Range(1, 10)]
    public int MaxJoinRequests { get; set; } = 3;

    /// <summary>How long after a refusal or lapse the requester must wait before asking again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan JoinRequestCoolDown { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long the renewal link of a refusal or lapse email works.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RenewalLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the link of a contact-address verification email works.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "60.00:00:00")]
    public TimeSpan ContactVerificationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Verification emails one contact address may receive (each joining request filed while it is unverified sends one).</summary>
    [Range(1, 10)]
    public int MaxContactVerificationEmails { get; set; } = 3;
}
