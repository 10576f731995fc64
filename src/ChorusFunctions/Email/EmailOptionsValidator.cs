using Microsoft.Extensions.Options;

namespace ChorusFunctions.Email;

/// <summary>
/// Checks at start-up what data annotations cannot: the settings the chosen provider needs, with messages that
/// name the setting to fix (a misconfigured sender would otherwise fail only at the first signup).
/// </summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add("Email__Provider must be Smtp or AzureCommunicationServices.");
        }

        if (options.Provider == EmailProvider.Smtp && string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            failures.Add("Email__Provider is Smtp but Email__Smtp__Host is empty: set the SMTP server's host name.");
        }

        if (options.Provider == EmailProvider.AzureCommunicationServices)
        {
            ValidateAcs(options.Acs, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    static void ValidateAcs(AcsOptions acs, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(acs.Endpoint))
        {
            failures.Add("Email__Provider is AzureCommunicationServices but Email__Acs__Endpoint is not set: " +
                "set it to the resource endpoint, e.g. https://<resource>.communication.azure.com.");
        }
        else if (!Uri.TryCreate(acs.Endpoint, UriKind.Absolute, out Uri? endpoint)
            || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback)))
        {
            // Plain http only to a loopback address (a local fake): a key-signed or token-carrying request must not
            // cross a network in clear.
            failures.Add($"Email__Acs__Endpoint must be an absolute https URL (e.g. https://<resource>.communication.azure.com), not '{acs.Endpoint}'.");
        }

        if (!string.IsNullOrEmpty(acs.AccessKey) && !IsBase64(acs.AccessKey))
        {
            failures.Add("Email__Acs__AccessKey must be the resource's access key as shown in the portal (base64); leave it unset to use the managed identity.");
        }

        if (acs.MaxAttempts is < 1 or > 10)
        {
            failures.Add("Email__Acs__MaxAttempts must be between 1 and 10.");
        }

        if (acs.MaxRetryAfter <= TimeSpan.Zero || acs.MaxRetryAfter > TimeSpan.FromMinutes(10))
        {
            failures.Add("Email__Acs__MaxRetryAfter must be more than zero and at most 00:10:00.");
        }

        if (acs.PollTimeout <= TimeSpan.Zero || acs.PollTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Email__Acs__PollTimeout must be more than zero and at most 00:10:00 (an activity should not run for long).");
        }
    }

    static bool IsBase64(string value)
    {
        Span<byte> buffer = stackalloc byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out int written) && written > 0;
    }
}
