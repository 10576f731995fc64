using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ChorusFunctions.Testing;

/// <summary>A real SMTP catcher: smtp4dev (the dotnet tool pinned in .config/dotnet-tools.json) on free ports, read through its REST API.</summary>
public sealed partial class Mailbox : IAsyncDisposable
{
    static readonly SemaphoreSlim StartLock = new(1, 1);
    static Mailbox? shared;

    readonly ChildProcess process;
    readonly HttpClient http;

    Mailbox(ChildProcess process, int smtpPort, int webPort)
    {
        this.process = process;
        SmtpPort = smtpPort;
        WebUrl = new Uri($"http://127.0.0.1:{webPort}/");
        http = new HttpClient { BaseAddress = WebUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int SmtpPort { get; }

    public Uri WebUrl { get; }

    public static async Task<Mailbox> SharedAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            return shared ??= await StartAsync();
        }
        finally
        {
            StartLock.Release();
        }
    }

    public static async Task<Mailbox> StartAsync()
    {
        int smtp = FreePort.Next(), web = FreePort.Next();
        ChildProcess process = ChildProcess.Start("dotnet",
        [
            "tool", "run", "smtp4dev", "--", $"--urls=http://127.0.0.1:{web}", $"--smtpport={smtp}", "--imapport=", "--pop3port=",
            "--db=", "--hostname=localhost", "--tlsmode=None", "--nousersettings", "--messagestokeep=1000",
        ], RepositoryRoot.Path);
        await FreePort.WaitUntilOpenAsync(smtp, "smtp4dev (SMTP)", TimeSpan.FromSeconds(90), () => process.Output + " — is the tool restored? (dotnet tool restore)");
        await FreePort.WaitUntilOpenAsync(web, "smtp4dev (web)", TimeSpan.FromSeconds(90), () => process.Output);
        return new Mailbox(process, smtp, web);
    }

    public sealed record MessageSummary(string Id, string[] To, string Subject, DateTimeOffset ReceivedDate);

    sealed record MessagePage(MessageSummary[] Results, int PageCount);

    public sealed record Message(MessageSummary Summary, string PlainText, string Html);

    /// <summary>Every message received for <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<MessageSummary>> ListAsync(string to)
    {
        var all = new List<MessageSummary>();
        for (int page = 1; ; page++)
        {
            MessagePage? result = await http.GetFromJsonAsync<MessagePage>($"api/messages?page={page}&pageSize=500");
            all.AddRange(result!.Results.Where(m => m.To.Any(t => string.Equals(t, to, StringComparison.OrdinalIgnoreCase))));
            if (page >= result.PageCount)
            {
                break;
            }
        }

        return all.OrderBy(m => m.ReceivedDate).ToList();
    }

    /// <summary>Waits for the <paramref name="count"/>-th message to <paramref name="to"/> and reads it.</summary>
    public async Task<Message> WaitForMessageAsync(string to, int count = 1, TimeSpan? timeout = null, Func<MessageSummary, bool>? where = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            IReadOnlyList<MessageSummary> messages = (await ListAsync(to)).Where(where ?? (_ => true)).ToList();
            if (messages.Count >= count)
            {
                MessageSummary summary = messages[count - 1];
                string text = await http.GetStringAsync($"api/messages/{summary.Id}/plaintext");
                string html = await http.GetStringAsync($"api/messages/{summary.Id}/html");
                return new Message(summary, text, html);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No message #{count} for {to} within the timeout (found {messages.Count}).");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The activation token in an activation email's link.</summary>
    public static string ActivationToken(Message message) =>
        TokenPattern().Match(message.PlainText) is { Success: true } match
            ? Uri.UnescapeDataString(match.Groups[1].Value)
            : throw new InvalidOperationException("No activation link in: " + message.PlainText);

    [GeneratedRegex(@"[?&]token=([A-Za-z0-9_%\-]+)")]
    private static partial Regex TokenPattern();

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await process.DisposeAsync();
    }
}
