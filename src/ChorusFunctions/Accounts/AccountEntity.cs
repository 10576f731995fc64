using ChorusFunctions.Storage;

namespace ChorusFunctions.Accounts;

public enum AccountStatus
{
    Pending,
    Active,
    Cancelled,
    Expired,
}

/// <summary>An account (partition = its signup's id); its status changes only by compare-and-swap, so activation and expiry cannot both win.</summary>
public sealed class AccountEntity : TableRow
{
    public const string Row = "account";

    public override string RowKey { get; set; } = Row;

    public required AccountStatus Status { get; set; }

    public required string LoginEmail { get; set; }

    public required string ContactEmail { get; set; }

    public required string LastName { get; set; }

    public required string FirstName { get; set; }

    public string Language { get; set; } = "fr";

    public required DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ActivatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>SHA-256 of the link that activated or closed the account: a retry of that request is recognised.</summary>
    public string? DecidedByToken { get; set; }

    public string? PasswordHash { get; set; }

    public string? SecretQuestion { get; set; }

    public string? SecretAnswerHash { get; set; }
}
