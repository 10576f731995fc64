using System.ComponentModel.DataAnnotations;

namespace ChorusFunctions.Email;

public enum EmailProvider
{
    Smtp,
    AzureCommunicationServices,
}

/// <summary>Settings <c>Email__*</c>.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public EmailProvider Provider { get; set; } = EmailProvider.Smtp;

    [Required, EmailAddress]
    public string SenderAddress { get; set; } = "ne-pas-repondre@chorusfunctions.localhost";

    public string SenderName { get; set; } = "ChorusFunctions";

    /// <summary>The front end's activation page; the token is appended as <c>?token=</c>.</summary>
    [Required, Url]
    public string ActivationUrlBase { get; set; } = "http://localhost:7071/activation";

    [Required, Url]
    public string PortalUrl { get; set; } = "http://localhost:7071/";

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 2525;

    /// <summary>Use STARTTLS (required by real relays; smtp4dev does without).</summary>
    public bool UseStartTls { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
