using System.Globalization;
using System.Net;
using ChorusFunctions.Signup;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Email;

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
