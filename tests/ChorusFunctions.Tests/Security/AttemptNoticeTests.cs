using Azure;
using Azure.Data.Tables;
using ChorusFunctions.Accounts;
using ChorusFunctions.Security.Enumeration;
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
    public async Task An_account_activated_a_moment_ago_is_told_before_its_reservation_is_marked()
    {
        await using DurableHarness harness = await StartAsync();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("notice"));
        Expect(await harness.Activations.ActivateAsync(RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email)), ValidActivation(), harness.Client, default));
        await harness.WaitForCompletionAsync(signupId);
        int before = harness.Emails.Delivered.Count(m => m.To == email);

        // As between the activation's answer and its orchestration's finalization: the reservation is not marked yet.
        TableClient reservations = harness.Services.GetRequiredService<TableClients>().Get(TableNames.EmailReservations);
        await reservations.UpdateEntityAsync(new TableEntity(EmailReservationStore.KeyOf(email), EmailReservationEntity.Row) { ["IsAccount"] = false }, ETag.All, TableUpdateMode.Merge);

        await harness.Services.GetRequiredService<ExistingAccountNotifier>().NotifyAsync(email, client: null, default);
        await harness.Emails.WaitForDeliveredAsync(email, count: before + 1, timeout: TimeSpan.FromSeconds(10));
    }
}
