using ChorusFunctions.Email;
using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;

namespace ChorusFunctions.Tests.Orchestration;

/// <summary>A signup's lifetime allowance of activation links (<c>Signup__MaxActivationLinks</c>).</summary>
public sealed class LinkAllowanceTests
{
    [Fact]
    public async Task Past_its_allowance_a_signup_gets_429_with_retry_after_and_no_more_links()
    {
        await using DurableHarness harness = await StartAsync(new Dictionary<string, string?> { ["Signup:MaxActivationLinks"] = "3" });
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync();

        for (int link = 2; link <= 3; link++)
        {
            Expect(await harness.Signups.RequestNewLinkAsync(signupId, harness.Client, default));
            await harness.Emails.WaitForDeliveredAsync(email, link);
            await WaitForSentAsync(harness, signupId, link);
        }

        Outcome<SignupEntity> refused = await harness.Signups.RequestNewLinkAsync(signupId, harness.Client, default);
        Assert.Equal(429, refused.Problem?.Status);
        Assert.Equal(ErrorCodes.RateLimited, refused.Problem?.Code);
        Assert.InRange(refused.Problem!.RetryAfterSeconds ?? 0, 1, (int)TimeSpan.FromDays(7).TotalSeconds);

        SignupEntity row = Expect(await harness.Signups.GetAsync(signupId, default));
        Assert.Equal(3, row.LinkRequested);
        await Task.Delay(300);
        Assert.Equal(3, harness.Emails.Delivered.Count(m => m.To == email));
    }

    static async Task WaitForSentAsync(DurableHarness harness, string signupId, int link)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (Expect(await harness.Signups.GetAsync(signupId, default)) is var row && !(row.LinkSequence == link && row.EmailDelivery == EmailDelivery.Sent))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Link {link} was never recorded as sent.");
            await Task.Delay(50);
        }
    }
}
