using ChorusFunctions.Accounts;
using ChorusFunctions.Email;
using ChorusFunctions.Http;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using ChorusFunctions.Tests.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static ChorusFunctions.Tests.Orchestration.DurableHarness;

namespace ChorusFunctions.Tests.Structures;

/// <summary>
/// Joining an existing structure (rattachement) through the real orchestrations on the in-process durable host, with
/// real tables on Azurite: the gestionnaire principal approves, refuses or lets the request lapse.
/// </summary>
public sealed class JoinRequestTests
{
    static async Task<DurableHarness> StartAsync(string deadline = "00:05:00") =>
        await DurableHarness.StartAsync(new Dictionary<string, string?> { ["Structures:JoinRequestDeadline"] = deadline });

    /// <summary>A gestionnaire principal with an active account on a new SIRET.</summary>
    static async Task<(string Siret, string SignupId, string Email)> ActiveGestionnaireAsync(DurableHarness harness)
    {
        string siret = Sirets.NewValid();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("gp"), siret);
        string token = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        return (siret, signupId, email);
    }

    /// <summary>A second person signs up with the same SIRET and activates: the joining request is filed.</summary>
    static async Task<(string SignupId, string Email)> ActiveJoinerAsync(DurableHarness harness, string siret)
    {
        string email = Sirets.NewEmail("joiner");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", siret), "fr", harness.Client, default));
        Assert.True(started.StructureExists);
        Assert.Equal("ETS HORTICOLES GEORGES TRUFFAUT", started.CompanyName);
        Expect(await harness.Signups.SubmitDetailsAsync(started.SignupId, ValidDetails(email) with { FirstName = "Camille", LastName = "Durand" }, harness.Client, default));
        Expect(await harness.Signups.SubmitWorkspacesAsync(started.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        return (started.SignupId, email);
    }

    static JoinRequestService JoinRequests(DurableHarness harness) => harness.Services.GetRequiredService<JoinRequestService>();

    static async Task<SignupEntity> SignupAsync(DurableHarness harness, string signupId) => Expect(await harness.Signups.GetAsync(signupId, default));

    static async Task<OrchestrationMetadata> WaitForJoinRequestAsync(DurableHarness harness, string signupId) =>
        await harness.WaitForCompletionAsync(JoinRequestOrchestrator.InstanceIdOf(signupId));

    [Fact]
    public async Task The_gestionnaire_principal_approves_and_the_requester_is_told()
    {
        await using DurableHarness harness = await StartAsync();
        (string siret, string gpId, string gpEmail) = await ActiveGestionnaireAsync(harness);
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret);

        SignupEntity joiner = await SignupAsync(harness, joinerId);
        Assert.Equal(nameof(SignupStatus.Active), joiner.Status);
        Assert.Equal(nameof(MemberRole.Utilisateur), joiner.Role);
        Assert.Equal(nameof(MembershipStatus.PendingApproval), joiner.Membership);

        EmailMessage request = await harness.Emails.WaitForPurposeAsync(gpEmail, ":joining-request");
        Assert.Equal($"{joinerId}:joining-request", request.IdempotencyKey);
        Assert.Contains("Camille Durand", request.PlainText, StringComparison.Ordinal);
        Assert.Contains("decision=approval", request.PlainText, StringComparison.Ordinal);
        Assert.Contains("decision=refusal", request.PlainText, StringComparison.Ordinal);
        string token = RecordingEmailSender.TokenOf(request);

        JoinRequestView view = Expect(await JoinRequests(harness).GetAsync(token, default));
        Assert.Equal(JoinRequestStatus.Pending, view.Status);
        Assert.Equal(joinerEmail, view.Requester.LoginEmail);
        Assert.Equal("Camille", view.Requester.FirstName);
        Assert.Equal(siret, view.Structure.Identifier);

        JoinRequestView decided = Expect(await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Approved, harness.Client, default));
        Assert.Equal(JoinRequestStatus.Approved, decided.Status);
        Assert.Equal(nameof(MembershipStatus.Active), (await SignupAsync(harness, joinerId)).Membership);
        MemberEntity member = (await harness.Services.GetRequiredService<StructureStore>().GetMemberAsync(joiner.StructureKey, joinerId, default))!;
        Assert.Equal(nameof(MembershipStatus.Active), member.Status);

        EmailMessage outcome = await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision");
        Assert.Equal($"{joinerId}:joining-decision:approved", outcome.IdempotencyKey);

        OrchestrationMetadata joinRequest = await WaitForJoinRequestAsync(harness, joinerId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, joinRequest.RuntimeStatus);
        Assert.Contains("Approved", joinRequest.SerializedOutput, StringComparison.Ordinal);
        OrchestrationMetadata signup = await harness.WaitForCompletionAsync(joinerId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, signup.RuntimeStatus);
        foreach (string? serialized in new[] { joinRequest.SerializedInput, joinRequest.SerializedOutput, joinRequest.SerializedCustomStatus })
        {
            Assert.DoesNotContain(token, serialized ?? "", StringComparison.Ordinal);
        }

        // The same decision sent again (its answer lost) gets the first answer; the other decision does not work,
        // and the link says how the request ended.
        Assert.Equal(JoinRequestStatus.Approved, Expect(await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Approved, harness.Client, default)).Status);
        ApiProblem again = (await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Refused, harness.Client, default)).Problem!;
        Assert.Equal(410, again.Status);
        Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, again.Code);
        Assert.Equal(410, (await JoinRequests(harness).GetAsync(token, default)).Problem?.Status);

        // The gestionnaire principal's own membership is untouched.
        Assert.Equal(nameof(MembershipStatus.Active), (await SignupAsync(harness, gpId)).Membership);
    }

    [Fact]
    public async Task The_gestionnaire_principal_refuses()
    {
        await using DurableHarness harness = await StartAsync();
        (string siret, _, string gpEmail) = await ActiveGestionnaireAsync(harness);
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret);
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForPurposeAsync(gpEmail, ":joining-request"));

        Assert.Equal(JoinRequestStatus.Refused, Expect(await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Refused, harness.Client, default)).Status);

        Assert.Equal(nameof(MembershipStatus.Refused), (await SignupAsync(harness, joinerId)).Membership);
        Assert.Equal($"{joinerId}:joining-decision:refused", (await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision")).IdempotencyKey);
        Assert.Contains("Refused", (await WaitForJoinRequestAsync(harness, joinerId)).SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(410, (await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Approved, harness.Client, default)).Problem?.Status);
    }

    [Fact]
    public async Task Undecided_requests_lapse_at_the_deadline_and_the_requester_is_told()
    {
        await using DurableHarness harness = await StartAsync(deadline: "00:00:05");
        (string siret, _, string gpEmail) = await ActiveGestionnaireAsync(harness);
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret);
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForPurposeAsync(gpEmail, ":joining-request"));

        OrchestrationMetadata lapsed = await WaitForJoinRequestAsync(harness, joinerId);

        Assert.Contains("Lapsed", lapsed.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(nameof(MembershipStatus.Lapsed), (await SignupAsync(harness, joinerId)).Membership);
        Assert.Equal($"{joinerId}:joining-decision:lapsed", (await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision")).IdempotencyKey);
        ApiProblem late = (await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Approved, harness.Client, default)).Problem!;
        Assert.Equal(410, late.Status);
    }

    [Fact]
    public async Task Forged_and_malformed_links_are_gone()
    {
        await using DurableHarness harness = await StartAsync();
        foreach (string token in new[] { "x", new string('A', 43), "../../etc/passwd", new string('é', 43) })
        {
            Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await JoinRequests(harness).GetAsync(token, default)).Problem?.Code);
            Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Approved, harness.Client, default)).Problem?.Code);
        }
    }

    [Fact]
    public async Task First_users_of_one_new_siret_racing_make_exactly_one_gestionnaire_principal()
    {
        await using DurableHarness harness = await StartAsync();
        string siret = Sirets.NewValid();
        var signups = new List<(string Id, string Email)>();
        for (int i = 0; i < 5; i++)
        {
            string email = Sirets.NewEmail("racer");
            SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", siret), "fr", harness.Client, default));
            Assert.False(started.StructureExists);
            await harness.SubmitDetailsAsync(started.SignupId, email);
            signups.Add((started.SignupId, email));
        }

        // Step 3 of all of them at once: each creates its pending account and claims the structure.
        await Task.WhenAll(signups.Select(async s =>
            Expect(await harness.Signups.SubmitWorkspacesAsync(s.Id, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default))));
        await Task.WhenAll(signups.Select(s => harness.Emails.WaitForDeliveredAsync(s.Email)));

        SignupEntity[] rows = await Task.WhenAll(signups.Select(s => SignupAsync(harness, s.Id)));
        Assert.Single(rows, r => r.Role == nameof(MemberRole.GestionnairePrincipal));
        Assert.Equal(4, rows.Count(r => r.Role == nameof(MemberRole.Utilisateur) && r.Membership == nameof(MembershipStatus.PendingApproval)));

        IReadOnlyList<MemberEntity> members = await harness.Services.GetRequiredService<StructureStore>().ListMembersAsync(rows[0].StructureKey, default);
        Assert.Equal(5, members.Count);
        Assert.Single(members, m => m.Role == nameof(MemberRole.GestionnairePrincipal));
    }
}
