using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;

namespace ChorusFunctions.Accounts;

public enum AccountStatus
{
    Pending,
    Active,
    Cancelled,
    Expired,
}

/// <summary>
/// A user account (table <c>Accounts</c>, partition = account id = the id of the signup that created it).
/// Its status changes only by compare-and-swap on the ETag, so activation and expiry cannot both win.
/// </summary>
public sealed class AccountEntity : ITableEntity
{
    public const string Row = "account";

    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK.
    public AccountEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string Status { get; set; }

    public required string LoginEmail { get; set; }

    public required string ContactEmail { get; set; }

    public required string LastName { get; set; }

    public required string FirstName { get; set; }

    public required string StructureKey { get; set; }

    public required string Workspaces { get; set; }

    public bool PaymentRequests { get; set; }

    public bool Dume { get; set; }

    public string Language { get; set; } = "fr";

    public required DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>SHA-256 of the link that activated or closed the account: a retry of that request is recognised.</summary>
    public string? DecidedByToken { get; set; }

    public string? PasswordHash { get; set; }

    public string? SecretQuestion { get; set; }

    public string? SecretAnswerHash { get; set; }

    public AccountStatus GetStatus() => Enum.Parse<AccountStatus>(Status);
}
