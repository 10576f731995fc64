using ChorusFunctions.Email;
using ChorusFunctions.Signup;
using ChorusFunctions.Testing;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Email;

public sealed class EmailTemplateTests
{
    static readonly DateTimeOffset Winter = EmailSamples.Winter;
    static readonly DateTimeOffset Summer = EmailSamples.Summer;

    static readonly EmailComposer Composer = new(Options.Create(new EmailOptions
    {
        PortalUrl = "https://portail.example.fr/",
        ActivationUrlBase = "https://portail.example.fr/activation",
    }), new TemplateRenderer());

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string language in (string[])["fr", "en"])
        {
            foreach (string template in Samples.Names)
            {
                data.Add(template, language);
            }
        }

        return data;
    }

    static readonly EmailSamples Samples = new(Composer);

    internal static EmailMessage Render(string template, string language) => Samples.Render(template, language);

    static SignupEntity Signup(string language) => EmailSamples.Signup(language);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rendering_matches_its_snapshot(string template, string language)
    {
        EmailMessage message = Render(template, language);

        Snapshot.Match($"{template}.{language}", Format(message));
    }

    [Fact]
    public void Every_template_exists_in_both_languages_and_is_covered()
    {
        string[] french = TemplateNames("fr");
        string[] english = TemplateNames("en");

        Assert.Equal(french, english);
        Assert.Equal(
            [.. Samples.Names.Order()],
            french);
    }

    /// <summary>The embedded templates of <paramref name="language"/>, layouts excluded.</summary>
    static string[] TemplateNames(string language) =>
        [.. typeof(TemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith("ChorusFunctions.Email.Templates.", StringComparison.Ordinal) && r.EndsWith($".{language}.tpl", StringComparison.Ordinal))
            .Select(r => r["ChorusFunctions.Email.Templates.".Length..^$".{language}.tpl".Length])
            .Where(name => name != "layout")
            .Order()];

    [Fact]
    public void Values_are_html_escaped_in_the_html_part_and_kept_in_the_text()
    {
        SignupEntity signup = Signup("fr");
        signup.FirstName = "<script>alert(\"x\")</script>";
        signup.LastName = "O'Brien & {{link}}";
        signup.CompanyName = "A & B <b>\"C\"</b>";

        EmailMessage message = EmailSamples.ActivationLink(Composer, signup, "t&k", Winter, 1);

        Assert.DoesNotContain("<script>", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", message.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; {{link}}", message.Html, StringComparison.Ordinal);
        Assert.Contains("A &amp; B &lt;b&gt;&quot;C&quot;&lt;/b&gt;", message.Html, StringComparison.Ordinal);
        // The token is URL-escaped in the link, and the link HTML-escaped in the attribute.
        Assert.Contains("href=\"https://portail.example.fr/activation?token=t%26k\"", message.Html, StringComparison.Ordinal);
        // A value is inserted once: a placeholder inside a value is not expanded.
        Assert.Contains("Bonjour <script>alert(\"x\")</script> O'Brien & {{link}},", message.PlainText, StringComparison.Ordinal);
        Assert.Equal("<script>alert(\"x\")</script> O'Brien & {{link}}", message.ToName);
    }

    [Fact]
    public void Urls_with_query_strings_are_escaped_in_attributes()
    {
        EmailMessage message = Render("joining-request", "en");

        Assert.Contains("href=\"https://portail.example.fr/rattachements/r-1?decision=approve&amp;t=abc\"", message.Html, StringComparison.Ordinal);
        Assert.Contains("https://portail.example.fr/rattachements/r-1?decision=approve&t=abc\n", message.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_absolute_web_links_go_into_an_email()
    {
        var error = Assert.Throws<ArgumentException>(() => Composer.JoiningRequest(
            new EmailRecipient("g@example.fr", null, "fr"), "s", "P", "p@example.fr", "ACME", "SIRET", "55208131700011",
            new Uri("javascript:alert(1)"), new Uri("https://portail.example.fr/refuse"), Winter));

        Assert.Equal("approveUrl", error.ParamName);
    }

    [Fact]
    public void A_subject_never_spans_lines()
    {
        EmailMessage message = Composer.JoiningDecided(new EmailRecipient("a@example.fr", null, "fr"), "s", "ACME\r\nBcc: x@example.fr", JoiningDecision.Approved);

        Assert.DoesNotContain('\n', message.Subject);
        Assert.DoesNotContain('\r', message.Subject);
    }

    [Fact]
    public void Unknown_languages_fall_back_to_french()
    {
        EmailMessage message = EmailSamples.ActivationLink(Composer, Signup("de"), "t", Winter, 1);

        Assert.StartsWith("Activez votre compte", message.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr", "lundi 16 mars 2026 à 14h30")]
    [InlineData("en", "Monday 16 March 2026 at 14:30")]
    public void Dates_are_shown_in_paris_time_in_the_language_format(string language, string expected)
    {
        Assert.Equal(expected, EmailComposer.FormatDate(Winter, language));
    }

    [Fact]
    public void Idempotency_keys_name_the_signup_the_purpose_and_the_sequence()
    {
        Assert.Equal("signup-42:activation:2", Render("new-activation-link", "fr").IdempotencyKey);
        Assert.Equal("signup-42:expired", Render("signup-expired", "fr").IdempotencyKey);
        Assert.Equal("signup-42:welcome", Render("account-activated-member", "fr").IdempotencyKey);
        Assert.Equal("attempt:b5f1c0", Render("signup-attempt", "fr").IdempotencyKey);
        Assert.Equal("signup-43:joining-request", Render("joining-request", "fr").IdempotencyKey);
        Assert.Equal("signup-43:joining-decision:refused", Render("joining-refused", "fr").IdempotencyKey);
    }

    [Fact]
    public void A_missing_placeholder_value_is_an_error_not_a_blank()
    {
        var renderer = new TemplateRenderer(new Dictionary<string, string>
        {
            ["layout.fr"] = "=== text\n{{{body}}}\n=== html\n<p>{{{body}}}</p>\n",
            ["hello.fr"] = "=== subject\nHi {{name}}\n=== text\n{{name}} {{missing}}\n=== html\n{{name}}\n",
        });

        var error = Assert.Throws<InvalidOperationException>(() => renderer.Render("hello", "fr", new Dictionary<string, string> { ["name"] = "x" }));
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_difference_is_reported_as_a_line_diff()
    {
        string diff = Snapshot.Diff("a\nb\nc\nd", "a\nB\nc\nd");

        Assert.Contains("- 002 b", diff, StringComparison.Ordinal);
        Assert.Contains("+ 002 B", diff, StringComparison.Ordinal);
    }

    static string Format(EmailMessage message) =>
        $"To: {message.ToName} <{message.To}>\nSubject: {message.Subject}\nIdempotency-Key: {message.IdempotencyKey}\n\n" +
        $"=== text\n{message.PlainText}=== html\n{message.Html}";
}
