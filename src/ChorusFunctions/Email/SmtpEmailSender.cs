using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ChorusFunctions.Email;

/// <summary>Sends through an SMTP server with MailKit (smtp4dev locally).</summary>
public sealed partial class SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        EmailOptions settings = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(settings.SenderName, settings.SenderAddress));
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.To));
        if (!string.IsNullOrWhiteSpace(settings.ReplyTo))
        {
            mime.ReplyTo.Add(MailboxAddress.Parse(settings.ReplyTo));
        }

        mime.Subject = message.Subject;
        // A stable Message-ID lets mail clients and catchers recognise a retried send of the same email.
        mime.MessageId = $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.IdempotencyKey)))[..32]}@chorusfunctions";
        mime.Body = new BodyBuilder { TextBody = message.PlainText, HtmlBody = message.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port,
                settings.Smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", cancellationToken);
            }

            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted)
        {
            throw new PermanentEmailFailureException($"The SMTP server refused the message ({ex.StatusCode}).", ex);
        }

        LogSent(message.IdempotencyKey);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {IdempotencyKey} handed to the SMTP server")]
    partial void LogSent(string idempotencyKey);
}
