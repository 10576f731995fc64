using System.Net;
using System.Net.Sockets;
using System.Text;
using ChorusFunctions.Email;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChorusFunctions.Tests.Email;

/// <summary>
/// Every template in both languages through the SMTP sender into a minimal SMTP sink on 127.0.0.1, read back with
/// MimeKit: what a mail catcher (smtp4dev locally) receives has both parts, the accents and the headers intact.
/// </summary>
public sealed class SmtpEmailSenderTests
{
    [Fact]
    public async Task Every_template_arrives_intact_over_smtp()
    {
        await using var sink = SmtpSink.Start();
        var options = Options.Create(new EmailOptions
        {
            SenderAddress = "ne-pas-repondre@example.fr",
            ReplyTo = "support@example.fr",
            PortalUrl = "https://portail.example.fr/",
            Smtp = { Host = "127.0.0.1", Port = sink.Port },
        });
        var sender = new SmtpEmailSender(options, NullLogger<SmtpEmailSender>.Instance);
        List<EmailMessage> sent = [.. EmailTemplateTests.Cases().Select(c => EmailTemplateTests.Render((string)c[0], (string)c[1]))];

        foreach (EmailMessage message in sent)
        {
            await sender.SendAsync(message, CancellationToken.None);
        }

        Assert.Equal(sent.Count, sink.Messages.Count);
        foreach ((EmailMessage expected, byte[] raw) in sent.Zip(sink.Messages))
        {
            using MimeMessage received = await MimeMessage.LoadAsync(new MemoryStream(raw));
            Assert.Equal(expected.Subject, received.Subject);
            Assert.Equal(expected.To, received.To.Mailboxes.Single().Address);
            Assert.Equal("support@example.fr", received.ReplyTo.Mailboxes.Single().Address);
            Assert.Equal(expected.PlainText.ReplaceLineEndings("\n"), received.TextBody?.ReplaceLineEndings("\n"));
            Assert.Equal(expected.Html.ReplaceLineEndings("\n"), received.HtmlBody?.ReplaceLineEndings("\n"));
        }

        // The Message-ID is derived from the idempotency key: a retried send is recognisably the same email.
        string?[] messageIds = [.. sink.Messages.Select(m => MimeMessage.Load(new MemoryStream(m)).MessageId)];
        Assert.Equal(sent.Select(m => m.IdempotencyKey).Distinct().Count(), messageIds.Distinct().Count());
        Assert.All(sent.Zip(messageIds).GroupBy(p => p.First.IdempotencyKey), same => Assert.Single(same.Select(p => p.Second).Distinct()));
    }

    /// <summary>Just enough SMTP (RFC 5321) for one client at a time: greeting, EHLO, MAIL, RCPT, DATA, QUIT.</summary>
    sealed class SmtpSink : IAsyncDisposable
    {
        readonly TcpListener listener = new(IPAddress.Loopback, 0);
        readonly CancellationTokenSource stop = new();
        readonly Task loop;

        SmtpSink()
        {
            listener.Start();
            loop = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public List<byte[]> Messages { get; } = [];

        public static SmtpSink Start() => new();

        async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                using (client)
                {
                    await ServeAsync(client.GetStream());
                }
            }
        }

        async Task ServeAsync(NetworkStream stream)
        {
            var reader = new StreamReader(stream, Encoding.Latin1);
            var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                string verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Messages.Add(Encoding.Latin1.GetBytes(data.ToString()));
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await loop;
            stop.Dispose();
        }
    }
}
