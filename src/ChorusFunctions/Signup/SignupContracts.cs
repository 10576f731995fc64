using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Signup;

// Request bodies: every member is nullable so that a missing field becomes a per-field 400, not a parse error.

/// <summary>
/// Step 1. <c>country</c> (ISO 3166-1 alpha-2) is required for <c>HORS_UE</c> and ignored otherwise; for
/// <c>PARTICULIER</c> and <c>EN_COURS_IMMATRICULATION</c> the identifier is derived from the login email and
/// <c>identifier</c> is ignored.
/// </summary>
public sealed record CreateSignupRequest(string? LoginEmail, string? IdentifierType, string? Identifier, string? Country = null, ProofOfWorkSolution? ProofOfWork = null);

public sealed record SubmitDetailsRequest(
    string? LoginEmailConfirmation,
    string? LastName,
    string? FirstName,
    string? ContactEmail,
    CaptchaAnswer? Captcha,
    StructureAddress? Structure,
    FeaturesInput? Features);

public sealed record CaptchaAnswer(string? Id, string? Answer);

public sealed record FeaturesInput(bool PaymentRequests = true, bool Dume = false);

public sealed record SubmitWorkspacesRequest(IReadOnlyList<string>? Workspaces);

// Responses.

public sealed record StructureView(
    string IdentifierType,
    string Identifier,
    string? CompanyName,
    string? Label,
    string? Address,
    string? AddressComplement1,
    string? AddressComplement2,
    string? PostalCode,
    string? City,
    string? Country,
    bool Prefilled,
    bool Exists);

public sealed record FeaturesView(bool PaymentRequests, bool Dume);

public sealed record SignupView(
    string SignupId,
    SignupStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string LoginEmail,
    string? ContactEmail,
    string? LastName,
    string? FirstName,
    StructureView Structure,
    FeaturesView Features,
    IReadOnlyList<string>? Workspaces,
    string? Role,
    string? Membership,
    EmailDelivery? EmailDelivery)
{
    public static SignupView From(SignupEntity s) => new(
        s.SignupId,
        s.Status,
        s.CreatedAt,
        s.ExpiresAt,
        s.LoginEmail,
        s.ContactEmail,
        s.LastName,
        s.FirstName,
        new StructureView(s.IdentifierType.ToString(), s.Identifier, s.CompanyName, s.Label, s.Address, s.AddressComplement1,
            s.AddressComplement2, s.PostalCode, s.City, s.Country, s.Prefilled, s.StructureExists),
        new FeaturesView(s.PaymentRequests, s.Dume),
        s.Workspaces is null ? null : s.GetWorkspaces(),
        s.Role?.ToString(),
        s.Membership?.ToString(),
        s.EmailDelivery);
}
