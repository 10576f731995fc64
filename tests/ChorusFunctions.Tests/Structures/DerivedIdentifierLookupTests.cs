using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using ChorusFunctions.Tests.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;

namespace ChorusFunctions.Tests.Structures;

/// <summary>
/// A private person's structure: its identifier is keyed, and the lookup never says whether it exists, even once the
/// person's account is active (that would say whether the person has an account).
/// </summary>
public sealed class DerivedIdentifierLookupTests
{
    [Theory]
    [InlineData("PARTICULIER")]
    [InlineData("EN_COURS_IMMATRICULATION")]
    public async Task The_lookup_never_reveals_whether_a_private_person_has_an_account(string type)
    {
        await using DurableHarness harness = await StartAsync();
        string email = Sirets.NewEmail("particulier");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, type, null), "fr", default));
        Assert.Matches("^[0-9A-F]{20}$", started.Identifier);
        Assert.NotEqual(
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("chorus-structure:" + email)))[..20],
            started.Identifier);
        Expect(await harness.Signups.SubmitDetailsAsync(started.SignupId, ValidDetails(email), default));
        Expect(await harness.Signups.SubmitWorkspacesAsync(started.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        await harness.WaitForCompletionAsync(started.SignupId);
        Assert.NotNull(await harness.Services.GetRequiredService<StructureStore>().GetAsync(started.StructureKey, default));

        StructureLookupView lookup = await harness.Services.GetRequiredService<StructureLookupService>().LookupAsync(type, started.Identifier, null, default);

        Assert.True(lookup.Valid);
        Assert.False(lookup.Exists);
        Assert.Null(lookup.Prefill);
    }
}
