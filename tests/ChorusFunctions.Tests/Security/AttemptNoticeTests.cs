using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Accounts;
using ChorusFunctions.Security.Enumeration;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Testing;
using ChorusFunctions.Tests.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;

namespace ChorusFunctions.Tests.Security;

/// <summary>The notice to an account's owner that someone tried to sign up with their address.</summary>
public sealed class AttemptNoticeTests
{
    [Fact]
    public async Task An_account_whose_signup_row_lags_its_activation_still_holds_its_email_and_is_told_of_attempts()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("notice"));
        Expect(await harness.Activations.ActivateAsync(RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email)), ValidActivation(), harness.Client, default));
        await harness.WaitForCompletionAsync(signupId);
        int before = harness.Emails.Delivered.Count(m => m.To == email);

        // As when the host died between the account's activation and the row's following it, and the deadline then
        // passed: the row alone would say the signup ended. The account decides.
        TableClient signups = harness.Services.GetRequiredService<TableClients>().Get(TableNames.Signups);
        await signups.UpdateEntityAsync(new TableEntity(signupId, SignupEntity.Row)
        {
            ["Status"] = nameof(SignupStatus.AwaitingActivation),
            ["ExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(-1),
        }, ETag.All, TableUpdateMode.Merge);

        Assert.True(await harness.Services.GetRequiredService<LoginEmails>().IsTakenAsync(email, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, default));
        await harness.Services.GetRequiredService<ExistingAccountNotifier>().NotifyAsync(email, client: null, default);
        await harness.Emails.WaitForDeliveredAsync(email, count: before + 1, timeout: TimeSpan.FromSeconds(10));
    }
}
