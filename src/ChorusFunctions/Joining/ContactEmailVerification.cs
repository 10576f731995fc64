using ChorusFunctions.Accounts;
using ChorusFunctions.Email;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Joining;

/// <summary>What the verification page shows: the address to confirm, and whether it is confirmed already.</summary>
public sealed record ContactVerificationView(string ContactEmail, bool Verified, DateTimeOffset? VerifiedAt);

/// <summary>
/// The gestionnaire principal's contact address receives mail naming other people (joining requests) only once proven
/// by a link of its own. The state lives on the structure row, which every joining request reads; the link is a
/// joining-request link row. The link is sent when a joining request is mailed while the address is unverified: that is
/// when it starts to matter, and a later request is the resend (at most <see cref="StructuresOptions.MaxContactVerificationEmails"/>).
/// </summary>
public sealed partial class ContactEmailVerification(
    StructureStore structures,
    JoinRequestStore links,
    AccountStore accounts,
    ActivationTokens tokenFactory,
    IEmailSender emailSender,
    EmailComposer composer,
    IOptions<StructuresOptions> options,
    TimeProvider time,
    ILogger<ContactEmailVerification> logger)
{
    public const string TokenPurpose = "contact-verification";

    /// <summary>Marks a link row as a contact verification's (a joining request's id never starts so).</summary>
    public const string LinkPrefix = "contact:";

    /// <summary>The gestionnaire's contact address, when it differs from the login address; null otherwise.</summary>
    public static string? ContactOf(AccountEntity gestionnaire)
    {
        string contact = EmailAddress.Normalize(gestionnaire.ContactEmail ?? "");
        return contact.Length == 0 || contact == EmailAddress.Normalize(gestionnaire.LoginEmail) ? null : contact;
    }

    /// <summary>The contact address as a recipient of mail naming others, when the structure has verified it.</summary>
    public static EmailRecipient? VerifiedContact(StructureEntity structure, AccountEntity gestionnaire) =>
        ContactOf(gestionnaire) is { } contact && structure.ContactEmail == contact && structure.ContactEmailVerifiedAt is not null
            ? EmailRecipient.Named(contact, gestionnaire.FirstName, gestionnaire.LastName, gestionnaire.Language)
            : null;

    /// <summary>
    /// Sends the verification link for the joining request <paramref name="requestId"/> if the contact address is
    /// unverified and links are left. Idempotent: a retried send for the same request sends the same link again.
    /// </summary>
    public async Task<bool> SendIfUnverifiedAsync(string structureKey, AccountEntity gestionnaire, string requestId, CancellationToken cancellationToken)
    {
        if (ContactOf(gestionnaire) is not { } contact)
        {
            return false;
        }

        for (int attempt = 0; attempt < 5; attempt++)
        {
            StructureEntity? structure = await structures.GetAsync(structureKey, cancellationToken);
            if (structure is null)
            {
                return false;
            }

            if (structure.ContactEmail != contact)
            {
                // A new address (or the first): its own count and its own verification.
                structure.ContactEmail = contact;
                structure.ContactEmailVerifiedAt = null;
                structure.ContactVerificationsSent = 0;
                structure.ContactVerificationSubject = null;
                structure.ContactVerificationTokenHash = null;
            }
            else if (structure.ContactEmailVerifiedAt is not null)
            {
                return false;
            }

            bool retried = structure.ContactVerificationSubject == requestId;
            if (!retried && structure.ContactVerificationsSent >= options.Value.MaxContactVerificationEmails)
            {
                LogLimitReached(structureKey);
                return false;
            }

            int sequence = retried ? structure.ContactVerificationsSent : structure.ContactVerificationsSent + 1;
            string token = tokenFactory.Derive($"{structureKey}:{sequence}", TokenPurpose);
            string hash = ActivationTokens.Hash(token);
            if (!retried)
            {
                structure.ContactVerificationsSent = sequence;
                structure.ContactVerificationSubject = requestId;
                structure.ContactVerificationTokenHash = hash;
                if (!await structures.TryUpdateAsync(structure, cancellationToken))
                {
                    continue;
                }
            }

            // The link lasts from the first try of this send: a retry does not extend it, and writes it if the first
            // try stopped before.
            DateTimeOffset expiresAt = (await links.GetTokenAsync(hash, cancellationToken))?.ExpiresAt
                ?? await links.SaveLinkAsync(hash, LinkPrefix + structureKey, time.GetUtcNow() + options.Value.ContactVerificationLifetime, cancellationToken);
            var to = EmailRecipient.Named(contact, gestionnaire.FirstName, gestionnaire.LastName, gestionnaire.Language);
            await emailSender.SendAsync(composer.ContactVerification(to, structureKey, sequence, structure.CompanyName ?? structure.Identifier,
                new Uri($"{options.Value.JoinRequestUrlBase}?contact={Uri.EscapeDataString(token)}"), expiresAt,
                options.Value.MaxContactVerificationEmails - sequence), cancellationToken);
            LogSent(structureKey, sequence);
            return true;
        }

        return false;
    }

    /// <summary>GET: what the link is for. Never changes anything (mail scanners open links).</summary>
    public async Task<Outcome<ContactVerificationView>> GetAsync(string token, CancellationToken cancellationToken)
    {
        Outcome<(StructureEntity Structure, string Contact)> resolved = await ResolveAsync(token, cancellationToken);
        return resolved.Problem is { } problem ? problem : View(resolved.Value.Structure);
    }

    /// <summary>POST: the address is verified; sent again, it answers the same.</summary>
    public async Task<Outcome<ContactVerificationView>> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            Outcome<(StructureEntity Structure, string Contact)> resolved = await ResolveAsync(token, cancellationToken);
            if (resolved.Problem is { } problem)
            {
                return problem;
            }

            StructureEntity structure = resolved.Value.Structure;
            if (structure.ContactEmailVerifiedAt is not null)
            {
                return View(structure);
            }

            structure.ContactEmailVerifiedAt = time.GetUtcNow();
            if (await structures.TryUpdateAsync(structure, cancellationToken))
            {
                LogVerified(structure.PartitionKey);
                return View(structure);
            }
        }

        throw new InvalidOperationException("The structure kept changing while its contact address was being verified.");
    }

    /// <summary>
    /// The link works while it is the structure's latest, unexpired, and for the contact address its gestionnaire
    /// principal still has. Anything else is the same 410, which says nothing of any address.
    /// </summary>
    async Task<Outcome<(StructureEntity, string)>> ResolveAsync(string token, CancellationToken cancellationToken)
    {
        if (!ActivationTokens.LooksValid(token))
        {
            return LinkInvalid();
        }

        string hash = ActivationTokens.Hash(token);
        JoinRequestTokenEntity? link = await links.GetTokenAsync(hash, cancellationToken);
        if (link is null || !link.RequestId.StartsWith(LinkPrefix, StringComparison.Ordinal) || link.ExpiresAt <= time.GetUtcNow())
        {
            return LinkInvalid();
        }

        StructureEntity? structure = await structures.GetAsync(link.RequestId[LinkPrefix.Length..], cancellationToken);
        if (structure?.ContactVerificationTokenHash != hash || structure.ContactEmail is not { } contact)
        {
            return LinkInvalid();
        }

        MemberEntity? gestionnaire = await structures.FindGestionnaireAsync(structure.PartitionKey, cancellationToken);
        AccountEntity? account = gestionnaire is null ? null : await accounts.GetAsync(gestionnaire.AccountId, cancellationToken);
        if (account?.Status != AccountStatus.Active || ContactOf(account) != contact)
        {
            return LinkInvalid();
        }

        return (structure, contact);
    }

    static ContactVerificationView View(StructureEntity structure) =>
        new(structure.ContactEmail!, structure.ContactEmailVerifiedAt is not null, structure.ContactEmailVerifiedAt);

    static ApiProblem LinkInvalid() => ApiProblem.Of(410, ErrorCodes.ContactVerificationLinkInvalid, "Lien de vérification invalide",
        "Ce lien de vérification d'adresse n'est pas valide : il a expiré, a été remplacé par un lien plus récent ou n'existe pas.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Structure {StructureKey}: contact address verification email {Sequence} sent")]
    partial void LogSent(string structureKey, int sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Structure {StructureKey}: contact address verified")]
    partial void LogVerified(string structureKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Structure {StructureKey}: no verification email left for the contact address")]
    partial void LogLimitReached(string structureKey);
}
