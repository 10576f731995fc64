namespace ChorusFunctions.Email;

/// <summary>Who an email goes to, and in which language ("fr", the default, or "en").</summary>
public sealed record EmailRecipient(string Address, string? DisplayName, string Language)
{
    public static EmailRecipient Named(string address, string? firstName, string? lastName, string language) =>
        new(address, $"{firstName} {lastName}".Trim(), language);
}

/// <summary>How a joining request (demande de rattachement) ended.</summary>
public enum JoiningDecision
{
    Approved,
    Refused,
    Lapsed,
}

/// <summary>How a refused or lapsed requester may ask again: the link, usable from <c>From</c> until <c>Until</c>.</summary>
public sealed record JoiningRenewal(Uri Url, DateTimeOffset From, DateTimeOffset Until);

/// <summary>Every email of the portal; each carries an idempotency key naming the send, so a retried activity sends it once.</summary>
public sealed class EmailComposer(IOptions<EmailOptions> options, TemplateRenderer renderer)
{
    public const string PortalName = "ChorusFunctions";

    static readonly TimeZoneInfo Paris = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Paris", out TimeZoneInfo? paris) ? paris : TimeZoneInfo.Utc;

    /// <summary>Link number <paramref name="sequence"/> (1 for the first email, more for a new link).</summary>
    public EmailMessage ActivationLink(EmailRecipient to, string signupId, string companyName, string token, DateTimeOffset linkExpiresAt, int sequence) =>
        Compose(sequence == 1 ? "activation-link" : "new-activation-link", to, $"{signupId}:activation:{sequence}", new()
        {
            ["loginEmail"] = to.Address,
            ["companyName"] = companyName,
            ["link"] = $"{options.Value.ActivationUrlBase}?token={Uri.EscapeDataString(token)}",
            ["linkExpiresAt"] = FormatDate(linkExpiresAt, to.Language),
        });

    public EmailMessage SignupExpired(EmailRecipient to, string signupId, string companyName, DateTimeOffset expiredAt) =>
        Compose("signup-expired", to, $"{signupId}:expired", new()
        {
            ["loginEmail"] = to.Address,
            ["companyName"] = companyName,
            ["expiredAt"] = FormatDate(expiredAt, to.Language),
        });

    /// <summary>The address has just opened the activation link: it is proven, and the activation does not wait for the verdict.</summary>
    public EmailMessage AccountActivated(EmailRecipient to, string signupId, string companyName, bool gestionnairePrincipal) =>
        Compose(gestionnairePrincipal ? "account-activated-manager" : "account-activated-member", to, $"{signupId}:welcome", new()
        {
            ["loginEmail"] = to.Address,
            ["companyName"] = companyName,
        }) with { FollowDelivery = false };

    /// <summary>Sent to an existing account's holder instead of telling step 1 the address is taken (no enumeration).</summary>
    public EmailMessage SignupAttempt(EmailRecipient to, string attemptId, DateTimeOffset attemptedAt) =>
        Compose("signup-attempt", to, $"attempt:{attemptId}", new()
        {
            ["loginEmail"] = to.Address,
            ["attemptedAt"] = FormatDate(attemptedAt, to.Language),
        });

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
        DateTimeOffset decideBy,
        int attempt = 1,
        int maxAttempts = 1,
        bool toContactAddress = false) =>
        Compose("joining-request", gestionnairePrincipal, $"{requestSignupId}:joining-request{(toContactAddress ? ":contact" : "")}", new()
        {
            ["attempt"] = attempt.ToString(CultureInfo.InvariantCulture),
            ["maxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
            ["requesterName"] = requesterName,
            ["requesterEmail"] = requesterEmail,
            ["companyName"] = companyName,
            ["identifierType"] = identifierType,
            ["identifier"] = identifier,
            ["approveUrl"] = WebLink(approveUrl, nameof(approveUrl)),
            ["refuseUrl"] = WebLink(refuseUrl, nameof(refuseUrl)),
            ["decideBy"] = FormatDate(decideBy, gestionnairePrincipal.Language),
        });

    /// <summary>A refusal or lapse carries the renewal link; without one (the last request allowed) no request is left.</summary>
    public EmailMessage JoiningDecided(EmailRecipient requester, string requestSignupId, string companyName, JoiningDecision decision,
        int attempt = 1, int maxAttempts = 1, JoiningRenewal? renewal = null)
    {
        string template = decision switch
        {
            JoiningDecision.Approved => "joining-approved",
            _ when renewal is null => "joining-final",
            JoiningDecision.Refused => "joining-refused",
            JoiningDecision.Lapsed => "joining-lapsed",
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
        };
        bool english = Language(requester.Language) == "en";
        var values = new Dictionary<string, string>
        {
            ["companyName"] = companyName,
            ["attempt"] = attempt.ToString(CultureInfo.InvariantCulture),
            ["maxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
            ["outcome"] = decision == JoiningDecision.Refused
                ? english ? "was refused by its main manager" : "a été refusée par son gestionnaire principal"
                : english ? "lapsed: its main manager did not decide in time" : "est classée sans suite : son gestionnaire principal ne l'a pas examinée dans le délai prévu",
        };
        if (renewal is not null)
        {
            values["renewUrl"] = WebLink(renewal.Url, nameof(renewal));
            values["renewFrom"] = FormatDate(renewal.From, requester.Language);
            values["renewUntil"] = FormatDate(renewal.Until, requester.Language);
            values["nextAttempt"] = (attempt + 1).ToString(CultureInfo.InvariantCulture);
        }

        return Compose(template, requester, $"{requestSignupId}:joining-decision:{decision.ToString().ToLowerInvariant()}", values);
    }

    /// <summary>Until the contact address is confirmed, mail naming other people goes to the login address only.</summary>
    public EmailMessage ContactVerification(EmailRecipient contact, string structureKey, int sequence, string companyName, Uri link,
        DateTimeOffset linkExpiresAt, int remaining) =>
        Compose("contact-verification", contact, $"{structureKey}:contact-verification:{sequence}", new()
        {
            ["contactEmail"] = contact.Address,
            ["companyName"] = companyName,
            ["link"] = WebLink(link, nameof(link)),
            ["linkExpiresAt"] = FormatDate(linkExpiresAt, contact.Language),
            ["remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture),
        });

    public static string FormatDate(DateTimeOffset instant, string language)
    {
        DateTimeOffset paris = TimeZoneInfo.ConvertTime(instant, Paris);
        return Language(language) == "en"
            ? paris.ToString("dddd d MMMM yyyy 'at' HH:mm", CultureInfo.GetCultureInfo("en-GB"))
            : paris.ToString("dddd d MMMM yyyy 'à' HH'h'mm", CultureInfo.GetCultureInfo("fr-FR"));
    }

    /// <summary>Only "en" selects English; anything else (or nothing) is French, the portal's language.</summary>
    static string Language(string? language) =>
        string.Equals(language, "en", StringComparison.OrdinalIgnoreCase) ? "en" : "fr";

    EmailMessage Compose(string template, EmailRecipient to, string idempotencyKey, Dictionary<string, string> values)
    {
        string? name = string.IsNullOrWhiteSpace(to.DisplayName) ? null : to.DisplayName;
        values["portalName"] = PortalName;
        values["portalUrl"] = options.Value.PortalUrl;
        values["name"] = name ?? to.Address; // an account known only by its address is greeted by its address

        RenderedEmail rendered = renderer.Render(template, Language(to.Language), values);
        return new EmailMessage
        {
            To = to.Address,
            ToName = name,
            Subject = rendered.Subject,
            PlainText = rendered.PlainText,
            Html = rendered.Html,
            IdempotencyKey = idempotencyKey,
        };
    }

    /// <summary>A link put into an email must be an absolute http(s) URL: anything else is a caller's bug.</summary>
    static string WebLink(Uri url, string parameter) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url.AbsoluteUri
            : throw new ArgumentException($"Email links must be absolute http(s) URLs, not '{url}'.", parameter);
}
