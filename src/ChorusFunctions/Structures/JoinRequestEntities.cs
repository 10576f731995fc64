using ChorusFunctions.Storage;

namespace ChorusFunctions.Structures;

/// <summary>Serialised by name, in the API and in orchestration history alike.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JoinRequestStatus>))]
public enum JoinRequestStatus
{
    /// <summary>Waiting for the gestionnaire principal.</summary>
    Pending,
    Approved,
    Refused,
    /// <summary>Nobody decided before the deadline.</summary>
    Lapsed,
}

/// <summary>Joining request ids: the signup id, then <c>{signupId}-r{attempt}</c> for a renewal, so each has its own row, links and emails.</summary>
public static class JoinRequestIds
{
    const string Separator = "-r";

    public static string Of(string signupId, int attempt) => attempt <= 1 ? signupId : $"{signupId}{Separator}{attempt}";

    public static string SignupIdOf(string requestId) =>
        requestId.IndexOf(Separator, StringComparison.Ordinal) is var at and > 0 ? requestId[..at] : requestId;

    public static int AttemptOf(string requestId) =>
        requestId.IndexOf(Separator, StringComparison.Ordinal) is var at and > 0
        && int.TryParse(requestId.AsSpan(at + Separator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int attempt)
            ? attempt
            : 1;
}

/// <summary>A joining request (partition = request id); its status leaves Pending only by compare-and-swap, so a decision and the deadline cannot both win.</summary>
public sealed class JoinRequestEntity : TableRow
{
    public const string Row = "request";

    public override string RowKey { get; set; } = Row;

    public required string StructureKey { get; set; }

    /// <summary>The gestionnaire principal's account id when the request was filed (empty when there was none).</summary>
    public required string GestionnaireAccountId { get; set; }

    public required JoinRequestStatus Status { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    /// <summary>SHA-256 of the decision link's token; the token itself is never stored.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>True once the member row and the signup show the outcome and the requester was emailed.</summary>
    public bool Completed { get; set; }

    public string RequestId => PartitionKey;
}

/// <summary>Points a link (partition = SHA-256 of its token) at its request: the decision link, or the renewal link after a refusal or lapse.</summary>
public sealed class JoinRequestTokenEntity : TableRow
{
    public const string Row = "token";

    public override string RowKey { get; set; } = Row;

    public required string RequestId { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }
}
