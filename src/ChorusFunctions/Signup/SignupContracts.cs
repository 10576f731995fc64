using ChorusFunctions.Email;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Structures;
using ChorusFunctions.Workspaces;

namespace ChorusFunctions.Signup;

// Request bodies: every member is nullable so that a missing field becomes a per-field 400, not a parse error.

/// <summary>Step 1. <c>country</c> only for <c>HORS_UE</c>; <c>PARTICULIER</c> and <c>EN_COURS_IMMATRICULATION</c> derive the identifier from the email.</summary>
public sealed record CreateSignupRequest(string? LoginEmail, string? IdentifierType, string? Identifier, string? Country = null, ProofOfWorkSolution? ProofOfWork = null);

/// <summary>Step 1 validated: the login email normalised and the identifier parsed, once, for all that follows.</summary>
public sealed record NewSignup(string LoginEmail, StructureIdentifier Identifier)
{
    public static Outcome<NewSignup> Parse(CreateSignupRequest request, ActivationTokens ids)
    {
        var errors = new FieldErrors();
        string? email = string.IsNullOrWhiteSpace(request.LoginEmail) ? null : EmailAddress.Normalize(request.LoginEmail);
        if (email is null)
        {
            errors.Add("loginEmail", "Saisissez votre adresse électronique de connexion.");
        }
        else if (!EmailAddress.IsValid(email))
        {
            errors.Add("loginEmail", "L'adresse électronique de connexion n'est pas valide (exemple : prenom.nom@entreprise.fr).");
            email = null;
        }

        // Types without a register number take their identifier from the login email: without a valid one, the
        // email's error is all there is to say (an empty derived identifier keeps the identifier's own out).
        if (!StructureIdentifier.TryParse(request.IdentifierType, request.Identifier, request.Country, email is null ? "" : ids.DeriveStructureIdentifier(email), out StructureIdentifier? identifier, out string? identifierError, out string identifierField))
        {
            errors.Add(identifierField, identifierError!);
        }

        return errors.Any ? errors.ToProblem() : new NewSignup(email!, identifier!);
    }

    /// <summary>What a retry of step 1 must repeat to get the first answer (normalised, so spelling does not matter).</summary>
    public string HashWith(string language) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', LoginEmail, Identifier.Key, language))));
}

public sealed record SubmitDetailsRequest(
    string? LoginEmailConfirmation,
    string? LastName,
    string? FirstName,
    string? ContactEmail,
    CaptchaAnswer? Captcha,
    StructureAddress? Structure,
    FeaturesInput? Features);

/// <summary>Step 2 validated. A structure only for a signup whose structure does not exist yet.</summary>
internal sealed record SignupDetails(string LastName, string FirstName, string? ContactEmail, StructureAddress? Structure, bool PaymentRequests, bool Dume)
{
    public void ApplyTo(SignupEntity row)
    {
        row.LastName = LastName;
        row.FirstName = FirstName;
        row.ContactEmail = ContactEmail ?? row.LoginEmail;
        row.PaymentRequests = PaymentRequests;
        row.Dume = Dume;
        if (Structure is not null && !row.StructureExists)
        {
            row.SetAddress(Structure with { CompanyName = CompanyNameFor(row) });
        }
    }

    /// <summary>The row holds these details already: the same step 2 sent again.</summary>
    public bool Matches(SignupEntity row) =>
        row.LastName == LastName && row.FirstName == FirstName && row.ContactEmail == (ContactEmail ?? row.LoginEmail)
        && row.PaymentRequests == PaymentRequests && row.Dume == Dume
        && (row.StructureExists || Structure is null
            || row.GetAddress() == Structure with { CompanyName = CompanyNameFor(row) });

    /// <summary>A private person's structure is named after the person.</summary>
    string? CompanyNameFor(SignupEntity row) =>
        row.IdentifierType == IdentifierType.PARTICULIER ? $"{FirstName} {LastName}" : Structure!.CompanyName;

    public static Outcome<SignupDetails> Validate(SubmitDetailsRequest request, SignupEntity signup)
    {
        var errors = new FieldErrors();
        string? confirmation = errors.Text("loginEmailConfirmation", request.LoginEmailConfirmation, EmailAddress.MaxLength, required: true, "Ressaisissez votre adresse électronique de connexion");
        if (confirmation is not null && EmailAddress.Normalize(confirmation) != signup.LoginEmail)
        {
            errors.Add("loginEmailConfirmation", "Les deux adresses électroniques de connexion ne sont pas identiques.");
        }

        string? lastName = errors.Text("lastName", request.LastName, 100, required: true, "Nom");
        string? firstName = errors.Text("firstName", request.FirstName, 100, required: true, "Prénom");
        string? contactEmail = errors.Text("contactEmail", request.ContactEmail, EmailAddress.MaxLength, required: false, "Adresse électronique de contact") is { } typed
            ? EmailAddress.Normalize(typed)
            : null;
        if (contactEmail is not null && !EmailAddress.IsValid(contactEmail))
        {
            errors.Add("contactEmail", "L'adresse électronique de contact n'est pas valide.");
        }

        // A structure that already exists is read-only: what its gestionnaire entered stays.
        StructureAddress? structure = signup.StructureExists ? null : ValidateStructure(request.Structure, signup, errors);
        FeaturesInput features = request.Features ?? new FeaturesInput();
        if (!features.PaymentRequests && !features.Dume)
        {
            errors.Add("features", "Choisissez au moins une fonctionnalité : déposer des demandes de paiement ou créer et/ou consulter des DUME.");
        }

        return errors.Any ? errors.ToProblem() : new SignupDetails(lastName!, firstName!, contactEmail, structure, features.PaymentRequests, features.Dume);
    }

    static StructureAddress ValidateStructure(StructureAddress? sent, SignupEntity signup, FieldErrors errors)
    {
        StructureAddress input = sent ?? StructureAddress.Empty;
        string? country = errors.Text("structure.country", input.Country, 2, required: true, "Pays")?.ToUpperInvariant();
        if (country is not null && !Countries.IsValid(country))
        {
            errors.Add("structure.country", "Choisissez un pays dans la liste (code ISO à deux lettres).");
        }
        else if (country is not null && signup.IdentifierType == IdentifierType.HORS_UE && signup.Country is { } declared && country != declared)
        {
            // The country is part of a non-EU structure's key: it was chosen with the identifier at step 1.
            errors.Add("structure.country", $"Le pays est celui de l'identifiant déclaré à l'étape 1 ({declared}).");
        }

        string? postalCode = errors.Text("structure.postalCode", input.PostalCode, 16, required: true, "Code postal");
        if (postalCode is not null && country == "FR" && (postalCode.Length != 5 || !postalCode.All(char.IsAsciiDigit)))
        {
            errors.Add("structure.postalCode", "Le code postal doit comporter 5 chiffres.");
        }
        else if (postalCode is not null && !postalCode.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-'))
        {
            errors.Add("structure.postalCode", "Le code postal ne doit contenir que des lettres, des chiffres, des espaces ou des tirets.");
        }

        return new StructureAddress(
            // A private person's structure is named after the person (see CompanyNameFor).
            errors.Text("structure.companyName", input.CompanyName, 200, required: signup.IdentifierType != IdentifierType.PARTICULIER, "Raison sociale"),
            errors.Text("structure.label", input.Label, 200, required: false, "Libellé de la structure"),
            errors.Text("structure.address", input.Address, 200, required: true, "Adresse"),
            errors.Text("structure.addressComplement1", input.AddressComplement1, 200, required: false, "Complément adresse 1"),
            errors.Text("structure.addressComplement2", input.AddressComplement2, 200, required: false, "Complément adresse 2"),
            postalCode,
            errors.Text("structure.city", input.City, 100, required: true, "Ville"),
            country);
    }
}

public sealed record CaptchaAnswer(string? Id, string? Answer);

public sealed record FeaturesInput(bool PaymentRequests = true, bool Dume = false);

public sealed record SubmitWorkspacesRequest(IReadOnlyList<string>? Workspaces)
{
    /// <summary>The chosen codes, stored in catalogue order so that equal sets compare equal.</summary>
    public Outcome<string> Codes() =>
        Workspaces is null || Workspaces.Count == 0
            ? ApiProblem.Validation("workspaces", "Activez au moins un espace de travail.")
        : Workspaces.Count > WorkspaceCatalog.All.Count * 2 || Workspaces.Any(code => code is null || !WorkspaceCatalog.IsKnown(code))
            ? ApiProblem.Validation("workspaces", "Un des espaces de travail demandés n'existe pas.")
        : string.Join(',', WorkspaceCatalog.All.Select(w => w.Code).Where(Workspaces.Contains));
}

// Responses.

public sealed record StructureView : StructureAddress
{
    public StructureView(SignupEntity s) : base(s.GetAddress()) =>
        (IdentifierType, Identifier, Prefilled, Exists) = (s.IdentifierType.ToString(), s.Identifier, s.Prefilled, s.StructureExists);

    public string IdentifierType { get; }

    public string Identifier { get; }

    public bool Prefilled { get; }

    public bool Exists { get; }
}

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
    public static SignupView From(SignupEntity s, DateTimeOffset now) => new(
        s.SignupId,
        SignupStateMachine.StatusAt(s, now),
        s.CreatedAt,
        s.ExpiresAt,
        s.LoginEmail,
        s.ContactEmail,
        s.LastName,
        s.FirstName,
        new StructureView(s),
        new FeaturesView(s.PaymentRequests, s.Dume),
        s.Workspaces?.Split(',', StringSplitOptions.RemoveEmptyEntries),
        s.Role?.ToString(),
        s.Membership?.ToString(),
        s.EmailDelivery);
}
