using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace ChorusLoad.Mail;

/// <summary>One message as the sink received it.</summary>
/// <param name="ArrivedAt">Driver clock (<see cref="Clock"/>) when the final "." of DATA arrived.</param>
/// <param name="ActivationToken">The token of an activation link in the body, when it holds one.</param>
public sealed record ReceivedMessage(string To, string Subject, string MessageId, double ArrivedAt, string? ActivationToken);

/// <summary>
/// A tiny SMTP server inside the driver (RFC 5321, just EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT): it records
/// each message with its arrival time. Being in the driver, it is not measured as part of the product, and it keeps
/// what it received across kills of the host.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    readonly TcpListener listener;
    readonly CancellationTokenSource stopping = new();
    readonly Regex activationLink;
    readonly Dictionary<string, Inbox> inboxes = new(StringComparer.OrdinalIgnoreCase);
    readonly List<Task> sessions = [];
    readonly Task accepting;
    int total, failures;

    public SmtpSink(string activationUrlBase)
    {
        // Only links to the activation page: joining-request emails carry tokens of another kind.
        activationLink = new Regex(Regex.Escape(activationUrlBase) + @"\?token=([A-Za-z0-9_%\-]+)", RegexOptions.CultureInvariant);
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 256);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    public int Total => Volatile.Read(ref total);

    /// <summary>Messages MimeKit could not parse.</summary>
    public int Failures => Volatile.Read(ref failures);

    /// <summary>Every message to <paramref name="to"/>, oldest first.</summary>
    public IReadOnlyList<ReceivedMessage> MessagesTo(string to)
    {
        lock (inboxes)
        {
            return inboxes.TryGetValue(to, out Inbox? inbox) ? [.. inbox.Messages] : [];
        }
    }

    public IReadOnlyList<ReceivedMessage> All()
    {
        lock (inboxes)
        {
            return [.. inboxes.Values.SelectMany(i => i.Messages).OrderBy(m => m.ArrivedAt)];
        }
    }

    /// <summary>
    /// Waits until a message with an activation link other than those in <paramref name="known"/> is in the inbox of
    /// <paramref name="to"/>, and returns the newest such message; null when <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<ReceivedMessage?> WaitForNewLinkAsync(string to, IReadOnlySet<string> known, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (inboxes)
            {
                Inbox inbox = InboxOf(to);
                ReceivedMessage? newest = inbox.Messages.LastOrDefault(m => m.ActivationToken is { } token && !known.Contains(token));
                if (newest is not null)
                {
                    return newest;
                }

                changed = inbox.Changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    Inbox InboxOf(string to)
    {
        if (!inboxes.TryGetValue(to, out Inbox? inbox))
        {
            inbox = new Inbox();
            inboxes[to] = inbox;
        }

        return inbox;
    }

    async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (sessions)
            {
                sessions.RemoveAll(t => t.IsCompleted);
                sessions.Add(ServeAsync(client));
            }
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using NetworkStream stream = client.GetStream();
                var reader = new LineReader(stream);
                await WriteAsync(stream, "220 chorusload ESMTP sink");
                var recipients = new List<string>();
                while (!stopping.IsCancellationRequested)
                {
                    byte[]? raw = await reader.ReadLineAsync(stopping.Token);
                    if (raw is null)
                    {
                        return;
                    }

                    string line = Encoding.ASCII.GetString(raw);
                    string verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await WriteAsync(stream, "250-chorusload\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760");
                            break;
                        case "HELO":
                            await WriteAsync(stream, "250 chorusload");
                            break;
                        case "MAIL":
                            recipients.Clear();
                            await WriteAsync(stream, "250 OK");
                            break;
                        case "RCPT":
                            recipients.Add(AddressIn(line));
                            await WriteAsync(stream, "250 OK");
                            break;
                        case "DATA":
                            await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>");
                            byte[] data = await ReadDataAsync(reader, stopping.Token);
                            Record(recipients, data);
                            recipients.Clear();
                            await WriteAsync(stream, "250 OK queued");
                            break;
                        case "RSET":
                            recipients.Clear();
                            await WriteAsync(stream, "250 OK");
                            break;
                        case "NOOP":
                            await WriteAsync(stream, "250 OK");
                            break;
                        case "QUIT":
                            await WriteAsync(stream, "221 Bye");
                            return;
                        default:
                            await WriteAsync(stream, "502 Command not implemented");
                            break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A client that went away (a killed host) ends its session; what was received is kept.
            }
        }
    }

    static async Task<byte[]> ReadDataAsync(LineReader reader, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream();
        while (true)
        {
            byte[] line = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("The connection closed during DATA.");
            if (line is [(byte)'.'])
            {
                return data.ToArray();
            }

            // Dot-stuffing (RFC 5321 4.5.2): a leading "." was doubled by the client.
            int start = line is [(byte)'.', ..] ? 1 : 0;
            data.Write(line, start, line.Length - start);
            data.Write("\r\n"u8);
        }
    }

    void Record(List<string> recipients, byte[] data)
    {
        double arrivedAt = Clock.Now;
        string subject = "", messageId = "", body = "";
        try
        {
            MimeMessage message = MimeMessage.Load(new MemoryStream(data));
            subject = message.Subject ?? "";
            messageId = message.MessageId ?? "";
            body = (message.TextBody ?? "") + "\n" + (message.HtmlBody ?? "");
        }
        catch (FormatException)
        {
            Interlocked.Increment(ref failures);
        }

        string? token = activationLink.Match(body) is { Success: true } match ? Uri.UnescapeDataString(match.Groups[1].Value) : null;
        lock (inboxes)
        {
            foreach (string to in recipients)
            {
                Inbox inbox = InboxOf(to);
                inbox.Messages.Add(new ReceivedMessage(to, subject, messageId, arrivedAt, token));
                TaskCompletionSource changed = inbox.Changed;
                inbox.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.TrySetResult();
                Interlocked.Increment(ref total);
            }
        }
    }

    /// <summary>The address of "RCPT TO:&lt;a@b&gt; [params]".</summary>
    static string AddressIn(string line)
    {
        int open = line.IndexOf('<', StringComparison.Ordinal), close = line.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? line[(open + 1)..close] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    static Task WriteAsync(NetworkStream stream, string reply) => stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n")).AsTask();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] running;
        lock (sessions)
        {
            running = [.. sessions];
        }

        await Task.WhenAll(running);
        stopping.Dispose();
    }

    sealed class Inbox
    {
        public List<ReceivedMessage> Messages { get; } = [];

        public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Reads CRLF-terminated lines as bytes (DATA may carry 8-bit text).</summary>
    sealed class LineReader(Stream stream)
    {
        readonly byte[] buffer = new byte[16 * 1024];
        int start, end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            using var line = new MemoryStream();
            while (true)
            {
                if (start == end)
                {
                    start = 0;
                    end = await stream.ReadAsync(buffer, cancellationToken);
                    if (end == 0)
                    {
                        return null;
                    }
                }

                int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0)
                {
                    line.Write(buffer, start, end - start);
                    start = end;
                    continue;
                }

                line.Write(buffer, start, newline - start);
                start = newline + 1;
                byte[] bytes = line.ToArray();
                return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
            }
        }
    }
}

/// <summary>The driver's one clock: seconds since it started, monotonic.</summary>
public static class Clock
{
    static readonly long Start = Stopwatch.GetTimestamp();

    public static double Now => Stopwatch.GetElapsedTime(Start).TotalSeconds;
}
