using System.Globalization;
using System.Net;
using ChorusFunctions.Signup;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Email;

/// <summary>Who an email goes to, and in which language ("fr", the default, or "en").</summary>
public sealed record EmailRecipient(string Address, string? DisplayName, string Language)
{
    /// <summary>The person behind a signup: login address, name and the language chosen at step 1.</summary>
    public static EmailRecipient Of(SignupEntity signup) =>
        new(signup.LoginEmail, $"{signup.FirstName} {signup.LastName}".Trim(), signup.Language);
}

/// <summary>How a joining request (demande de rattachement) ended.</summary>
public enum JoiningDecision
{
    Approved,
    Refused,
    Lapsed,
}

/// <summary>Builds the emails of a signup, HTML and plain text, in French.</summary>
public sealed class EmailComposer(IOptions<EmailOptions> options)
{
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    static readonly TimeZoneInfo Paris = FindParis();

    public EmailMessage ActivationLink(SignupEntity signup, string token, DateTimeOffset linkExpiresAt, int sequence)
    {
        string link = $"{options.Value.ActivationUrlBase}?token={Uri.EscapeDataString(token)}";
        string expires = TimeZoneInfo.ConvertTime(linkExpiresAt, Paris).ToString("dddd d MMMM yyyy 'à' HH'h'mm", French);
        string name = $"{signup.FirstName} {signup.LastName}".Trim();
        string subject = sequence == 1 ? "Activez votre compte ChorusFunctions" : "Votre nouveau lien d'activation ChorusFunctions";

        string text =
            $"Bonjour {name},\n\n" +
            $"Votre compte utilisateur {signup.LoginEmail} a été créé pour la structure {signup.CompanyName}.\n" +
            "Pour l'activer, ouvrez le lien ci-dessous, choisissez votre mot de passe et votre question secrète :\n\n" +
            $"{link}\n\n" +
            $"Ce lien est valable jusqu'au {expires} (heure de Paris). Passé ce délai, vous pourrez demander un nouveau lien.\n\n" +
            "Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : le compte ne sera pas activé.\n\n" +
            "ChorusFunctions — portail de facturation électronique";

        string html =
            "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(subject) + "</title></head>" +
            "<body style=\"margin:0;padding:0;background:#f6f6f6;font-family:Arial,sans-serif;color:#1e1e1e\">" +
            "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\">" +
            "<table role=\"presentation\" width=\"600\" cellpadding=\"24\" cellspacing=\"0\" style=\"background:#ffffff\">" +
            "<tr><td style=\"background:#000091;color:#ffffff;font-size:20px;font-weight:bold\">ChorusFunctions</td></tr>" +
            $"<tr><td><p>Bonjour {WebUtility.HtmlEncode(name)},</p>" +
            $"<p>Votre compte utilisateur <strong>{WebUtility.HtmlEncode(signup.LoginEmail)}</strong> a été créé pour la structure <strong>{WebUtility.HtmlEncode(signup.CompanyName ?? "")}</strong>.</p>" +
            "<p>Pour l'activer, choisissez votre mot de passe et votre question secrète :</p>" +
            $"<p><a href=\"{WebUtility.HtmlEncode(link)}\" style=\"background:#000091;color:#ffffff;padding:12px 20px;text-decoration:none;display:inline-block\">Activer mon compte</a></p>" +
            $"<p>Ou copiez ce lien dans votre navigateur :<br>{WebUtility.HtmlEncode(link)}</p>" +
            $"<p>Ce lien est valable jusqu'au {WebUtility.HtmlEncode(expires)} (heure de Paris). Passé ce délai, vous pourrez demander un nouveau lien.</p>" +
            "<p>Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : le compte ne sera pas activé.</p></td></tr>" +
            "<tr><td style=\"font-size:12px;color:#666666\">ChorusFunctions — portail de facturation électronique</td></tr>" +
            "</table></td></tr></table></body></html>";

        return new EmailMessage
        {
            To = signup.LoginEmail,
            ToName = name,
            Subject = subject,
            PlainText = text,
            Html = html,
            IdempotencyKey = $"{signup.SignupId}:{SignupLifecycle.ActivationPurpose}:{sequence}",
        };
    }

    // Joining requests. Minimal French emails with the same signatures as the template-based composer of the email
    // work, which replaces them when it lands.

    /// <summary>A joining request, sent to the structure's gestionnaire principal with approve and refuse links.</summary>
    public EmailMessage JoiningRequest(
        EmailRecipient gestionnairePrincipal,
        string requestSignupId,
        string requesterName,
        string requesterEmail,
        string companyName,
        string identifierType,
        string identifier,
        Uri approveUrl,
        Uri refuseUrl,
        DateTimeOffset decideBy)
    {
        string decide = TimeZoneInfo.ConvertTime(decideBy, Paris).ToString("dddd d MMMM yyyy 'à' HH'h'mm", French);
        string text =
            $"Bonjour {gestionnairePrincipal.DisplayName},\n\n" +
            $"{requesterName} ({requesterEmail}) demande à être rattaché(e) à la structure {companyName} ({identifierType} {identifier}), dont vous êtes le gestionnaire principal.\n\n" +
            $"Pour accepter la demande :\n{approveUrl.AbsoluteUri}\n\nPour refuser la demande :\n{refuseUrl.AbsoluteUri}\n\n" +
            $"Sans décision de votre part avant le {decide} (heure de Paris), la demande sera classée sans suite.";
        string html =
            $"<p>Bonjour {WebUtility.HtmlEncode(gestionnairePrincipal.DisplayName)},</p>" +
            $"<p><strong>{WebUtility.HtmlEncode(requesterName)}</strong> ({WebUtility.HtmlEncode(requesterEmail)}) demande à être rattaché(e) à la structure " +
            $"<strong>{WebUtility.HtmlEncode(companyName)}</strong> ({WebUtility.HtmlEncode(identifierType)} {WebUtility.HtmlEncode(identifier)}), dont vous êtes le gestionnaire principal.</p>" +
            $"<p><a href=\"{WebUtility.HtmlEncode(approveUrl.AbsoluteUri)}\">Accepter</a> — <a href=\"{WebUtility.HtmlEncode(refuseUrl.AbsoluteUri)}\">Refuser</a></p>" +
            $"<p>Sans décision de votre part avant le {WebUtility.HtmlEncode(decide)} (heure de Paris), la demande sera classée sans suite.</p>";
        return Minimal(gestionnairePrincipal, $"Demande de rattachement à la structure {companyName}", text, html, $"{requestSignupId}:joining-request");
    }

    /// <summary>The outcome of a joining request, sent to the person who asked to join.</summary>
    public EmailMessage JoiningDecided(EmailRecipient requester, string requestSignupId, string companyName, JoiningDecision decision)
    {
        (string subject, string sentence) = decision switch
        {
            JoiningDecision.Approved => ($"Votre demande de rattachement à {companyName} est acceptée",
                $"Le gestionnaire principal a accepté votre demande : vous êtes désormais rattaché(e) à la structure {companyName}."),
            JoiningDecision.Refused => ($"Votre demande de rattachement à {companyName} est refusée",
                $"Le gestionnaire principal a refusé votre demande de rattachement à la structure {companyName}."),
            JoiningDecision.Lapsed => ($"Votre demande de rattachement à {companyName} est classée sans suite",
                $"Le gestionnaire principal n'a pas traité à temps votre demande de rattachement à la structure {companyName} : elle est classée sans suite. Vous pouvez le contacter ou renouveler votre demande."),
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
        };
        string text = $"Bonjour {requester.DisplayName},\n\n{sentence}";
        string html = $"<p>Bonjour {WebUtility.HtmlEncode(requester.DisplayName)},</p><p>{WebUtility.HtmlEncode(sentence)}</p>";
        return Minimal(requester, subject, text, html, $"{requestSignupId}:joining-decision:{decision.ToString().ToLowerInvariant()}");
    }

    static EmailMessage Minimal(EmailRecipient to, string subject, string text, string htmlBody, string idempotencyKey) => new()
    {
        To = to.Address,
        ToName = string.IsNullOrWhiteSpace(to.DisplayName) ? null : to.DisplayName,
        Subject = subject,
        PlainText = text + "\n\nChorusFunctions — portail de facturation électronique",
        Html = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(subject) + "</title></head><body style=\"font-family:Arial,sans-serif\">"
            + htmlBody + "<p style=\"font-size:12px;color:#666666\">ChorusFunctions — portail de facturation électronique</p></body></html>",
        IdempotencyKey = idempotencyKey,
    };

    static TimeZoneInfo FindParis()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
