using ChorusFunctions.Email;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;

namespace ChorusFunctions.Testing;

/// <summary>
/// Every email template rendered with fixed sample values: the snapshot tests compare them, the integration
/// tests send them through the real SMTP catcher.
/// </summary>
public sealed class EmailSamples(EmailComposer composer)
{
    public static readonly DateTimeOffset Winter = new(2026, 3, 16, 13, 30, 0, TimeSpan.Zero); // 14h30 in Paris (CET)
    public static readonly DateTimeOffset Summer = new(2026, 7, 3, 7, 5, 0, TimeSpan.Zero); // 09h05 in Paris (CEST)

    public static IReadOnlyList<string> Languages { get; } = ["fr", "en"];

    public IReadOnlyCollection<string> Names => Templates.Keys;

    public EmailMessage Render(string template, string language) => Templates[template](language);

    /// <summary>Every template, rendered with fixed values (the snapshot's name is the case).</summary>
    Dictionary<string, Func<string, EmailMessage>> Templates => new()
    {
        ["activation-link"] = language => ActivationLink(composer, Signup(language), "tok-123_ABC", Winter, 1),
        ["new-activation-link"] = language => ActivationLink(composer, Signup(language), "tok-456_DEF", Summer, 2),
        ["signup-expired"] = language => composer.SignupExpired(SignupLifecycle.RecipientOf(Signup(language)), "signup-42", "ETS HORTICOLES GEORGES TRUFFAUT", Summer),
        ["account-activated-manager"] = language => composer.AccountActivated(SignupLifecycle.RecipientOf(Signup(language)), "signup-42", "ETS HORTICOLES GEORGES TRUFFAUT", gestionnairePrincipal: true),
        ["account-activated-member"] = language => composer.AccountActivated(SignupLifecycle.RecipientOf(Signup(language)), "signup-42", "ETS HORTICOLES GEORGES TRUFFAUT", gestionnairePrincipal: false),
        ["signup-attempt"] = language => composer.SignupAttempt(new EmailRecipient("marie.curie@example.fr", null, language), "b5f1c0", Winter),
        ["joining-request"] = language => composer.JoiningRequest(
            new EmailRecipient("gestion@truffaut.example.fr", "Georges Truffaut", language), "signup-43", "Pierre Curie", "pierre.curie@example.fr",
            "ETS HORTICOLES GEORGES TRUFFAUT", "SIRET", "55208131700011",
            new Uri("https://portail.example.fr/rattachements/r-1?decision=approve&t=abc"), new Uri("https://portail.example.fr/rattachements/r-1?decision=refuse&t=abc"),
            Summer, attempt: 2, maxAttempts: 3),
        ["joining-approved"] = language => composer.JoiningDecided(SignupLifecycle.RecipientOf(Signup(language)), "signup-43", "ETS HORTICOLES GEORGES TRUFFAUT", JoiningDecision.Approved),
        ["joining-refused"] = language => composer.JoiningDecided(SignupLifecycle.RecipientOf(Signup(language)), "signup-43", "ETS HORTICOLES GEORGES TRUFFAUT", JoiningDecision.Refused,
            1, 3, new JoiningRenewal(new Uri("https://portail.example.fr/rattachement?renewal=abc"), Summer.AddDays(1), Summer.AddDays(30))),
        ["joining-lapsed"] = language => composer.JoiningDecided(SignupLifecycle.RecipientOf(Signup(language)), "signup-43", "ETS HORTICOLES GEORGES TRUFFAUT", JoiningDecision.Lapsed,
            2, 3, new JoiningRenewal(new Uri("https://portail.example.fr/rattachement?renewal=abc"), Summer.AddDays(1), Summer.AddDays(30))),
        ["contact-verification"] = language => composer.ContactVerification(new EmailRecipient("contact.truffaut@example.fr", "Lucas Georges", language), "SIRET_55208131700011", 2,
            "ETS HORTICOLES GEORGES TRUFFAUT", new Uri("https://portail.example.fr/rattachement?contact=tok-789_GHI"), Summer, 1),
        ["joining-final"] = language => composer.JoiningDecided(SignupLifecycle.RecipientOf(Signup(language)), "signup-43-r3", "ETS HORTICOLES GEORGES TRUFFAUT", JoiningDecision.Refused, 3, 3),
    };

    /// <summary>The activation link of <paramref name="signup"/>, as the signup lifecycle composes it.</summary>
    public static EmailMessage ActivationLink(EmailComposer composer, SignupEntity signup, string token, DateTimeOffset linkExpiresAt, int sequence) =>
        composer.ActivationLink(SignupLifecycle.RecipientOf(signup), signup.SignupId, signup.CompanyName ?? signup.Identifier, token, linkExpiresAt, sequence);

    public static SignupEntity Signup(string language) => new()
    {
        PartitionKey = "signup-42",
        Status = SignupStatus.AwaitingActivation,
        CreatedAt = Winter,
        ExpiresAt = Winter.AddDays(7),
        LoginEmail = "marie.curie@example.fr",
        Language = language,
        FirstName = "Marie",
        LastName = "Curie",
        IdentifierType = IdentifierType.SIRET,
        Identifier = "55208131700011",
        StructureKey = "SIRET-55208131700011",
        CompanyName = "ETS HORTICOLES GEORGES TRUFFAUT",
    };

}
