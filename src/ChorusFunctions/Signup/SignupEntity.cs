using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Data.Tables;

namespace ChorusFunctions.Signup;

/// <summary>One signup (table <c>Signups</c>, partition = signup id). The HTTP steps read it to answer 404/409/410.</summary>
public sealed class SignupEntity : ITableEntity
{
    public const string Row = "signup";

    [SetsRequiredMembers]
#pragma warning disable CS8618 // Materialised by the Tables SDK, which sets every stored property.
    public SignupEntity()
#pragma warning restore CS8618
    {
    }

    public required string PartitionKey { get; set; }

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public required string Status { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public required DateTimeOffset ExpiresAt { get; set; }

    public required string LoginEmail { get; set; }

    public string Language { get; set; } = "fr";

    public string? ContactEmail { get; set; }

    public string? LastName { get; set; }

    public string? FirstName { get; set; }

    public required string IdentifierType { get; set; }

    public required string Identifier { get; set; }

    public required string StructureKey { get; set; }

    public string? CompanyName { get; set; }

    public string? Label { get; set; }

    public string? Address { get; set; }

    public string? AddressComplement1 { get; set; }

    public string? AddressComplement2 { get; set; }

    public string? PostalCode { get; set; }

    public string? City { get; set; }

    public string? Country { get; set; }

    public bool Prefilled { get; set; }

    public bool StructureExists { get; set; }

    public bool PaymentRequests { get; set; } = true;

    public bool Dume { get; set; }

    /// <summary>Comma-separated workspace codes, set at step 3.</summary>
    public string? Workspaces { get; set; }

    public string? Role { get; set; }

    public string? Membership { get; set; }

    public string? EmailDelivery { get; set; }

    public string? CurrentTokenHash { get; set; }

    public int LinkSequence { get; set; }

    public DateTimeOffset? LinkExpiresAt { get; set; }

    /// <summary>True once the email reservation and structure claim were given back (expiry or cancellation).</summary>
    public bool Released { get; set; }

    public SignupStatus GetStatus() => Enum.Parse<SignupStatus>(Status);

    public string SignupId => PartitionKey;

    public IReadOnlyList<string> GetWorkspaces() =>
        string.IsNullOrEmpty(Workspaces) ? [] : Workspaces.Split(',');
}
