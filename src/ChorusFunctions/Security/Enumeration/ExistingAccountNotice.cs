using System.Globalization;
using System.Net;
using ChorusFunctions.Email;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Security.Enumeration;

/// <summary>
/// The email to an account's owner when step 1 is tried with their address ("Une tentative de création de compte a
/// été faite avec votre adresse"). A minimal French template, HTML and plain text; it names no client address and
/// invites no reply.
/// </summary>
public sealed class ExistingAccountNotice(IOptions<EmailOptions> options)
{
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public const string Subject = "Une tentative de création de compte a été faite avec votre adresse";

    public EmailMessage Compose(string loginEmail, string? displayName, DateTimeOffset attemptedAt, string idempotencyKey)
    {
        string when = TimeZoneInfo.ConvertTime(attemptedAt, Paris).ToString("dddd d MMMM yyyy 'à' HH'h'mm", French);
        string greeting = string.IsNullOrWhiteSpace(displayName) ? "Bonjour," : $"Bonjour {displayName},";
        string portal = options.Value.PortalUrl;

        string text =
            $"{greeting}\n\n" +
            $"Une tentative de création de compte a été faite avec votre adresse {loginEmail} le {when} (heure de Paris).\n\n" +
            "Vous avez déjà un compte avec cette adresse : il n'a pas été modifié et aucun nouveau compte n'a été créé.\n" +
            $"Si c'était vous, connectez-vous simplement au portail : {portal}\n" +
            "Si ce n'était pas vous, vous n'avez rien à faire.\n\n" +
            "Vous recevez au plus un message de ce type par jour.\n\n" +
            "ChorusFunctions — portail de facturation électronique";

        string html =
            "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(Subject) + "</title></head>" +
            "<body style=\"margin:0;padding:0;background:#f6f6f6;font-family:Arial,sans-serif;color:#1e1e1e\">" +
            "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\">" +
            "<table role=\"presentation\" width=\"600\" cellpadding=\"24\" cellspacing=\"0\" style=\"background:#ffffff\">" +
            "<tr><td style=\"background:#000091;color:#ffffff;font-size:20px;font-weight:bold\">ChorusFunctions</td></tr>" +
            $"<tr><td><p>{WebUtility.HtmlEncode(greeting)}</p>" +
            $"<p>Une tentative de création de compte a été faite avec votre adresse <strong>{WebUtility.HtmlEncode(loginEmail)}</strong> le {WebUtility.HtmlEncode(when)} (heure de Paris).</p>" +
            "<p>Vous avez déjà un compte avec cette adresse : il n'a pas été modifié et aucun nouveau compte n'a été créé.</p>" +
            $"<p>Si c'était vous, connectez-vous simplement au <a href=\"{WebUtility.HtmlEncode(portal)}\">portail</a>.<br>Si ce n'était pas vous, vous n'avez rien à faire.</p>" +
            "<p style=\"font-size:12px;color:#666666\">Vous recevez au plus un message de ce type par jour.</p></td></tr>" +
            "<tr><td style=\"font-size:12px;color:#666666\">ChorusFunctions — portail de facturation électronique</td></tr>" +
            "</table></td></tr></table></body></html>";

        return new EmailMessage
        {
            To = loginEmail,
            ToName = displayName,
            Subject = Subject,
            PlainText = text,
            Html = html,
            IdempotencyKey = idempotencyKey,
        };
    }

    static readonly TimeZoneInfo Paris = FindParis();

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
