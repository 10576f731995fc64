using ChorusFunctions.Email;
using ChorusFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Email;

/// <summary>The local stack sends every template, in French and English, to the real SMTP catcher, which reads them back intact.</summary>
public sealed class TemplatesThroughSmtp4devTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    [Fact]
    public async Task Every_template_in_both_languages_arrives_in_smtp4dev()
    {
        IServiceProvider services = fixture.Stack.Services;
        var samples = new EmailSamples(services.GetRequiredService<EmailComposer>());
        IEmailSender sender = services.GetRequiredService<IEmailSender>();
        string run = Guid.NewGuid().ToString("N")[..8];

        var sent = new List<EmailMessage>();
        foreach (string language in EmailSamples.Languages)
        {
            foreach (string template in samples.Names)
            {
                EmailMessage message = samples.Render(template, language) with { To = $"{template}.{language}.{run}@exemple.fr" };
                await sender.SendAsync(message, default);
                sent.Add(message);
            }
        }

        foreach (EmailMessage message in sent)
        {
            Mailbox.Message received = await fixture.Stack.Mailbox.WaitForMessageAsync(message.To);
            Assert.Equal(message.Subject, received.Summary.Subject);
            Assert.Contains("ChorusFunctions", received.Html, StringComparison.Ordinal);
            Assert.Contains(Normalize(message.PlainText)[..40], Normalize(received.PlainText), StringComparison.Ordinal);
        }

        // Every template file but the layout was sent, in its language.
        int files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src", "ChorusFunctions", "Email", "Templates"), "*.tpl")
            .Count(file => !Path.GetFileName(file).StartsWith("layout.", StringComparison.Ordinal));
        Assert.Equal(files, sent.Count);
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
