using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;

namespace ChorusFunctions.Structures;

/// <summary>Serialised by name, in the API and in orchestration history alike.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<JoinRequestStatus>))]
public enum JoinRequestStatus
{
    /// <summary>Waiting for the gestionnaire principal.</summary>
    Pending,
    Approved,
    Refused,
    /// <summary>Nobody decided before the deadline.</summary>
    Lapsed,
}

/// <summary>
/// A joining request (table <c>JoinRequests</c>, partition = request id = the requester's signup id, row
/// <c>request</c>). Its status leaves Pending only by compare-and-swap, so a decision and the deadline cannot both win.
/// </summary>
public sealed class JoinRequestEntity : ITableEntity
{
    public const string Row = "request";

    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public JoinRequestEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string StructureKey { get; set; }

    /// <summary>The gestionnaire principal's account id when the request was filed (empty when there was none).</summary>
    public required string GestionnaireAccountId { get; set; }

    public required string Status { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    /// <summary>SHA-256 of the decision link's token; the token itself is never stored.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>True once the member row and the signup show the outcome and the requester was emailed.</summary>
    public bool Completed { get; set; }

    public string RequestId => PartitionKey;

    public JoinRequestStatus GetStatus() => Enum.Parse<JoinRequestStatus>(Status);
}

/// <summary>Points a decision link (partition = SHA-256 of its token, row <c>token</c>) at its request.</summary>
public sealed class JoinRequestTokenEntity : ITableEntity
{
    public const string Row = "token";

    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public JoinRequestTokenEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string RequestId { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }
}
