using System.Collections.Concurrent;
using ChorusFunctions.Email;

namespace ChorusFunctions.Tests.Orchestration;

/// <summary>An email sender that records every attempt and can be told to fail, to test the orchestration's retries.</summary>
public sealed class RecordingEmailSender : IEmailSender
{
    readonly ConcurrentQueue<EmailMessage> attempts = new();
    readonly ConcurrentQueue<EmailMessage> delivered = new();
    int failuresLeft;

    public IReadOnlyCollection<EmailMessage> Attempts => attempts;

    public IReadOnlyCollection<EmailMessage> Delivered => delivered;

    /// <summary>The next <paramref name="count"/> sends throw <paramref name="failure"/> (a transient error by default).</summary>
    public void FailNext(int count, Func<Exception>? failure = null)
    {
        Failure = failure ?? (() => new IOException("SMTP connection reset"));
        Volatile.Write(ref failuresLeft, count);
    }

    Func<Exception> Failure { get; set; } = () => new IOException("SMTP connection reset");

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        attempts.Enqueue(message);
        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            throw Failure();
        }

        delivered.Enqueue(message);
        return Task.CompletedTask;
    }

    public async Task<EmailMessage> WaitForDeliveredAsync(string to, int count = 1, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            EmailMessage[] matching = delivered.Where(m => m.To == to).ToArray();
            if (matching.Length >= count)
            {
                return matching[count - 1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Email #{count} to {to} was not delivered (delivered: {matching.Length}, attempts: {attempts.Count(m => m.To == to)}).");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the email to <paramref name="to"/> whose idempotency key contains <paramref name="purpose"/> (":joining-request", ":welcome"…).</summary>
    public async Task<EmailMessage> WaitForPurposeAsync(string to, string purpose, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            EmailMessage? match = delivered.FirstOrDefault(m => m.To == to && m.IdempotencyKey.Contains(purpose, StringComparison.Ordinal));
            if (match is not null)
            {
                return match;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {purpose} email to {to} (delivered: {string.Join(", ", delivered.Where(m => m.To == to).Select(m => m.IdempotencyKey))}).");
            }

            await Task.Delay(50);
        }
    }

    public static string TokenOf(EmailMessage message) =>
        System.Text.RegularExpressions.Regex.Match(message.PlainText, @"token=([A-Za-z0-9_\-]+)").Groups[1].Value;
}
