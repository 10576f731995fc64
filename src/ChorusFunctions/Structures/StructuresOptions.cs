using System.ComponentModel.DataAnnotations;

namespace ChorusFunctions.Structures;

/// <summary>Settings <c>Structures__*</c>: joining requests (rattachement).</summary>
public sealed class StructuresOptions
{
    public const string Section = "Structures";

    /// <summary>How long the gestionnaire principal has to decide; then the request lapses and the requester is told.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "60.00:00:00")]
    public TimeSpan JoinRequestDeadline { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The front end's joining-request page; the emailed links add <c>?token=…&amp;decision=approval|refusal</c>. The
    /// page shows the request (<c>GET /api/join-requests/{token}</c>) and POSTs the decision: a link alone never
    /// decides, so mail scanners that open links cannot approve anything.
    /// </summary>
    [Required, Url]
    public string JoinRequestUrlBase { get; set; } = "http://localhost:7071/rattachement";
}
