using ChorusFunctions.Accounts;
using System.Text.Json;
using ChorusFunctions.Email;
using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using ChorusFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;

namespace ChorusFunctions.Tests.Orchestration;

/// <summary>When a login email is held, and what a second signup with a held email is told and sent.</summary>
public sealed class EmailHoldTests
{
    static readonly string[] Workspaces = ["FACTURES_EMISES", "SOLLICITATIONS_EMISES"];

    [Fact]
    public async Task Step_one_holds_nothing_so_a_strangers_step_one_does_not_stop_mine()
    {
        await using DurableHarness harness = await StartAsync();
        string email = Sirets.NewEmail("stranger");
        string siret = Sirets.NewValid();
        EmailReservationStore reservations = harness.Services.GetRequiredService<EmailReservationStore>();

        SignupEntity stranger = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", siret), "fr", default));
        Assert.Null(await reservations.GetAsync(email, default));
        SignupEntity mine = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", siret), "fr", default));
        Assert.Null(await reservations.GetAsync(email, default));

        // The first to pass the captcha holds the email; nobody is refused.
        await harness.SubmitDetailsAsync(mine.SignupId, email);
        Assert.Equal(mine.SignupId, (await reservations.GetAsync(email, default))!.SignupId);
        await harness.SubmitDetailsAsync(stranger.SignupId, email);
        Assert.False(Expect(await harness.Signups.GetAsync(mine.SignupId, default)).Duplicate);
        Assert.True(Expect(await harness.Signups.GetAsync(stranger.SignupId, default)).Duplicate);
        Assert.Equal(mine.SignupId, (await reservations.GetAsync(email, default))!.SignupId);
    }

    [Fact]
    public async Task A_duplicates_step_three_sends_the_attempt_notice_instead_of_a_link_and_reads_like_any_signup()
    {
        await using DurableHarness harness = await StartAsync();
        (string firstId, string email) = await harness.SignupUntilActivationEmailAsync();

        SignupEntity second = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(second.SignupId, email);
        Expect(await harness.Signups.SubmitWorkspacesAsync(second.SignupId, new SubmitWorkspacesRequest(Workspaces), harness.Client, default));

        EmailMessage notice = await harness.Emails.WaitForPurposeAsync(email, "attempt:");
        Assert.DoesNotContain("token=", notice.PlainText, StringComparison.Ordinal);
        SignupEntity settled = await WaitForSentAsync(harness, second.SignupId);
        Assert.Equal(1, settled.LinkSequence);
        Assert.Null(settled.CurrentTokenHash);
        Assert.Single(harness.Emails.Delivered, m => m.To == email && m.PlainText.Contains("token=", StringComparison.Ordinal));

        // A new link asked for by the duplicate is the notice again, which goes out at most once a day.
        Expect(await harness.Signups.RequestNewLinkAsync(second.SignupId, harness.Client, default));
        settled = await WaitForAsync(harness, second.SignupId, r => r.LinkSequence == 2 && r.EmailDelivery == EmailDelivery.Sent);
        Assert.Single(harness.Emails.Delivered, m => m.To == email && m.IdempotencyKey.Contains("attempt:", StringComparison.Ordinal));

        // Same fields, present or absent, as the first signup's.
        SignupEntity first = Expect(await harness.Signups.GetAsync(firstId, default));
        Assert.Equal(Shape(first), Shape(settled));
    }

    [Fact]
    public async Task Without_enumeration_protection_a_held_email_is_refused_at_step_one_and_step_two()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Security:EnumerationProtection"] = "false" });
        string email = Sirets.NewEmail("refused");
        SignupEntity early = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        SignupEntity holder = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default));
        await harness.SubmitDetailsAsync(holder.SignupId, email);

        Outcome<SignupEntity> late = await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", Sirets.NewValid()), "fr", default);
        Assert.Equal(ErrorCodes.EmailTaken, late.Problem?.Code);
        Outcome<SignupEntity> second = await harness.Signups.SubmitDetailsAsync(early.SignupId, ValidDetails(email), default);
        Assert.Equal(409, second.Problem?.Status);
        Assert.Equal(ErrorCodes.EmailTaken, second.Problem?.Code);
        Assert.Equal(SignupStatus.AwaitingDetails, Expect(await harness.Signups.GetAsync(early.SignupId, default)).Status);
    }

    static string Shape(SignupEntity row) =>
        string.Join(',', JsonDocument.Parse(JsonSerializer.Serialize(SignupView.From(row, DateTimeOffset.UtcNow))).RootElement.EnumerateObject()
            .Select(p => $"{p.Name}:{p.Value.ValueKind}"));

    static Task<SignupEntity> WaitForSentAsync(DurableHarness harness, string signupId) =>
        WaitForAsync(harness, signupId, r => r.EmailDelivery == EmailDelivery.Sent);

    static async Task<SignupEntity> WaitForAsync(DurableHarness harness, string signupId, Func<SignupEntity, bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            SignupEntity row = Expect(await harness.Signups.GetAsync(signupId, default));
            if (condition(row))
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Signup {signupId} never reached the expected state ({row.Status}, {row.EmailDelivery}, link {row.LinkSequence}).");
            await Task.Delay(50);
        }
    }
}
