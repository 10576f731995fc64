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
using ChorusFunctions.Joining;

namespace ChorusFunctions.Tests.Structures;

/// <summary>
/// Joining an existing structure (rattachement) through the real orchestrations on the in-process durable host, with
/// real tables on Azurite: the gestionnaire principal approves, refuses or lets the request lapse.
/// </summary>
public sealed class JoinRequestTests
{
    static async Task<DurableHarness> StartAsync(string deadline = "00:05:00", int maxRequests = 3, string coolDown = "00:00:00") =>
        await DurableHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Structures:JoinRequestDeadline"] = deadline,
            ["Structures:MaxJoinRequests"] = maxRequests.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Structures:JoinRequestCoolDown"] = coolDown,
        });

    static string RenewalTokenOf(EmailMessage message) =>
        System.Text.RegularExpressions.Regex.Match(message.PlainText, @"renewal=([A-Za-z0-9_\-]+)") is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("No renewal link in: " + message.PlainText);

    /// <summary>A gestionnaire principal with an active account on a new SIRET.</summary>
    static async Task<(string Siret, string SignupId, string Email)> ActiveGestionnaireAsync(DurableHarness harness)
    {
        string siret = Sirets.NewValid();
        (string signupId, string email) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("gp"), siret);
        string token = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        Assert.Equal(MemberRole.GestionnairePrincipal, (await WaitForRoleAsync(harness, signupId)).Role);
        return (siret, signupId, email);
    }

    /// <summary>The role is decided when the activated account is finalized, just after the activation's answer.</summary>
    static async Task<SignupEntity> WaitForRoleAsync(DurableHarness harness, string signupId)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            SignupEntity row = await SignupAsync(harness, signupId);
            if (row.Role is not null && row.Finalized)
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Signup {signupId} was never given its role.");
            await Task.Delay(50);
        }
    }

    /// <summary>A second person signs up with the same SIRET and activates: the joining request is filed.</summary>
    static async Task<(string SignupId, string Email)> ActiveJoinerAsync(DurableHarness harness, string siret, string? contactEmail = null)
    {
        string email = Sirets.NewEmail("joiner");
        SignupEntity started = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(email, "SIRET", siret), "fr", default));
        Assert.True(started.StructureExists);
        // Unknown to the register: nothing is prefilled, not even what the gestionnaire principal typed.
        Assert.Null(started.CompanyName);
        Assert.Null(started.Address);
        Expect(await harness.Signups.SubmitDetailsAsync(started.SignupId, ValidDetails(email) with { FirstName = "Camille", LastName = "Durand", ContactEmail = contactEmail }, default));
        Expect(await harness.Signups.SubmitWorkspacesAsync(started.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(email));
        Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default));
        await WaitForRoleAsync(harness, started.SignupId);
        return (started.SignupId, email);
    }

    static JoinRequestService JoinRequests(DurableHarness harness) => harness.Services.GetRequiredService<JoinRequestService>();

    static async Task<SignupEntity> SignupAsync(DurableHarness harness, string signupId) => Expect(await harness.Signups.GetAsync(signupId, default));

    /// <summary>The joining request's own orchestration, the child of the given signup instance.</summary>
    static async Task<OrchestrationMetadata> WaitForJoinRequestAsync(DurableHarness harness, string signupInstanceId) =>
        await harness.WaitForCompletionAsync(JoinRequestOrchestrator.InstanceIdOf(signupInstanceId));

    [Fact]
    public async Task The_gestionnaire_principal_approves_and_the_requester_is_told()
    {
        await using DurableHarness harness = await StartAsync();
        (string siret, string gpId, string gpEmail) = await ActiveGestionnaireAsync(harness);
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret);

        SignupEntity joiner = await SignupAsync(harness, joinerId);
        Assert.Equal(SignupStatus.Active, joiner.Status);
        Assert.Equal(MemberRole.Utilisateur, joiner.Role);
        Assert.Equal(MembershipStatus.PendingApproval, joiner.Membership);

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
        Assert.Equal(MembershipStatus.Active, (await SignupAsync(harness, joinerId)).Membership);
        MemberEntity member = (await harness.Services.GetRequiredService<StructureStore>().GetMemberAsync(joiner.StructureKey, joinerId, default))!;
        Assert.Equal(MembershipStatus.Active, member.Status);

        EmailMessage outcome = await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision");
        Assert.Equal($"{joinerId}:joining-decision:approved", outcome.IdempotencyKey);

        OrchestrationMetadata joinRequest = await WaitForJoinRequestAsync(harness, joinerId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, joinRequest.RuntimeStatus);
        Assert.Contains("Approved", joinRequest.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal($"\"{joinerId}\"", joinRequest.SerializedInput);
        OrchestrationMetadata signup = await harness.WaitForCompletionAsync(joinerId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, signup.RuntimeStatus);
        Assert.Contains("Approved", signup.SerializedOutput, StringComparison.Ordinal);
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
        Assert.Equal(MembershipStatus.Active, (await SignupAsync(harness, gpId)).Membership);
    }

    [Fact]
    public async Task The_gestionnaire_principal_refuses()
    {
        await using DurableHarness harness = await StartAsync();
        (string siret, _, string gpEmail) = await ActiveGestionnaireAsync(harness);
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret);
        string token = RecordingEmailSender.TokenOf(await harness.Emails.WaitForPurposeAsync(gpEmail, ":joining-request"));

        Assert.Equal(JoinRequestStatus.Refused, Expect(await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Refused, harness.Client, default)).Status);

        Assert.Equal(MembershipStatus.Refused, (await SignupAsync(harness, joinerId)).Membership);
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
        Assert.Equal(MembershipStatus.Lapsed, (await SignupAsync(harness, joinerId)).Membership);
        Assert.Equal($"{joinerId}:joining-decision:lapsed", (await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision")).IdempotencyKey);
        ApiProblem late = (await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Approved, harness.Client, default)).Problem!;
        Assert.Equal(410, late.Status);
    }

    [Fact]
    public async Task A_refused_requester_asks_again_and_the_gestionnaire_principal_is_told_it_is_the_second_request()
    {
        await using DurableHarness harness = await StartAsync(maxRequests: 2);
        (string siret, _, string gpEmail) = await ActiveGestionnaireAsync(harness);
        string contact = Sirets.NewEmail("typed-contact");
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret, contact);
        string first = RecordingEmailSender.TokenOf(await harness.Emails.WaitForPurposeAsync(gpEmail, ":joining-request"));
        Expect(await JoinRequests(harness).DecideAsync(first, JoinRequestStatus.Refused, harness.Client, default));

        // The outcome, with its renewal link, goes to the login address the activation proved, not the typed contact.
        EmailMessage refused = await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision:refused");
        Assert.Contains("demande n° 1 sur 2", refused.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Emails.Attempts, m => m.To == contact && m.IdempotencyKey.Contains(":joining-decision", StringComparison.Ordinal));
        string renewal = RenewalTokenOf(refused);
        Assert.Contains("Refused", (await WaitForJoinRequestAsync(harness, joinerId)).SerializedOutput, StringComparison.Ordinal);
        // The renewal link decides nothing, and shows nothing of the request.
        Assert.Equal(410, (await JoinRequests(harness).GetAsync(renewal, default)).Problem?.Status);
        Assert.Equal(410, (await JoinRequests(harness).DecideAsync(renewal, JoinRequestStatus.Approved, harness.Client, default)).Problem?.Status);

        JoinRenewalView renewed = Expect(await JoinRequests(harness).RenewAsync(renewal, harness.Client, default));
        Assert.Equal(2, renewed.Attempt);
        Assert.Equal(2, renewed.MaxAttempts);
        // Sent again (a lost answer, a double click): the same answer, no third request.
        Assert.Equal(2, Expect(await JoinRequests(harness).RenewAsync(renewal, harness.Client, default)).Attempt);
        SignupEntity row = await SignupAsync(harness, joinerId);
        Assert.Equal(MembershipStatus.PendingApproval, row.Membership);
        Assert.Equal(2, row.JoinAttempts);

        // The gestionnaire principal's email names the request's number; the first refusal, clicked again within the
        // retry window, does not undo the renewal.
        EmailMessage second = await harness.Emails.WaitForPurposeAsync(gpEmail, "-r2:joining-request");
        Assert.Contains("demande n° 2 de cette personne", second.PlainText, StringComparison.Ordinal);
        Assert.Equal(JoinRequestStatus.Refused, Expect(await JoinRequests(harness).DecideAsync(first, JoinRequestStatus.Refused, harness.Client, default)).Status);
        Assert.Equal(MembershipStatus.PendingApproval, (await SignupAsync(harness, joinerId)).Membership);
        MemberEntity member = (await harness.Services.GetRequiredService<StructureStore>().GetMemberAsync(row.StructureKey, joinerId, default))!;
        Assert.Equal(MembershipStatus.PendingApproval, member.Status);

        // Refused again: that was the last request allowed; the email says so and carries no renewal link.
        Expect(await JoinRequests(harness).DecideAsync(RecordingEmailSender.TokenOf(second), JoinRequestStatus.Refused, harness.Client, default));
        EmailMessage last = await harness.Emails.WaitForPurposeAsync(joinerEmail, "-r2:joining-decision:refused");
        Assert.DoesNotContain("renewal=", last.PlainText, StringComparison.Ordinal);
        Assert.Contains("la dernière possible", last.PlainText, StringComparison.Ordinal);
        OrchestrationMetadata secondRun = await harness.WaitForCompletionAsync(SignupStateMachine.InstanceIdOf(joinerId, 1));
        Assert.Contains("Refused", secondRun.SerializedOutput, StringComparison.Ordinal);
        // The renewed request ran as the child of the signup's next instance, with its own request id.
        OrchestrationMetadata secondRequest = await WaitForJoinRequestAsync(harness, SignupStateMachine.InstanceIdOf(joinerId, 1));
        Assert.Equal($"\"{JoinRequestIds.Of(joinerId, 2)}\"", secondRequest.SerializedInput);
        Assert.Contains("Refused", secondRequest.SerializedOutput, StringComparison.Ordinal);
        Assert.Equal(MembershipStatus.Refused, (await SignupAsync(harness, joinerId)).Membership);

        // The first renewal link is spent: it says how its request ended.
        ApiProblem spent = (await JoinRequests(harness).RenewAsync(renewal, harness.Client, default)).Problem!;
        Assert.Equal(410, spent.Status);
        Assert.Equal("Refused", spent.Extensions?["requestStatus"]?.ToString());
    }

    [Fact]
    public async Task A_renewal_waits_for_the_cool_down()
    {
        await using DurableHarness harness = await StartAsync(coolDown: "01:00:00");
        (string siret, _, string gpEmail) = await ActiveGestionnaireAsync(harness);
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret);
        Expect(await JoinRequests(harness).DecideAsync(RecordingEmailSender.TokenOf(await harness.Emails.WaitForPurposeAsync(gpEmail, ":joining-request")),
            JoinRequestStatus.Refused, harness.Client, default));
        string renewal = RenewalTokenOf(await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision:refused"));

        ApiProblem early = (await JoinRequests(harness).RenewAsync(renewal, harness.Client, default)).Problem!;

        Assert.Equal(429, early.Status);
        Assert.Equal(ErrorCodes.RateLimited, early.Code);
        Assert.InRange(early.RetryAfterSeconds ?? 0, 3000, 3600);
        Assert.Contains("à partir du", early.Detail, StringComparison.Ordinal);
        Assert.Equal(MembershipStatus.Refused, (await SignupAsync(harness, joinerId)).Membership);
    }

    [Fact]
    public async Task A_lapsed_requester_asks_again_and_the_renewed_request_lapses_at_its_own_deadline()
    {
        await using DurableHarness harness = await StartAsync(deadline: "00:00:05");
        (string siret, _, string gpEmail) = await ActiveGestionnaireAsync(harness);
        (string joinerId, string joinerEmail) = await ActiveJoinerAsync(harness, siret);
        string renewal = RenewalTokenOf(await harness.Emails.WaitForPurposeAsync(joinerEmail, ":joining-decision:lapsed"));
        await WaitForJoinRequestAsync(harness, joinerId);

        Assert.Equal(2, Expect(await JoinRequests(harness).RenewAsync(renewal, harness.Client, default)).Attempt);

        Assert.Contains("demande n° 2", (await harness.Emails.WaitForPurposeAsync(gpEmail, "-r2:joining-request")).PlainText, StringComparison.Ordinal);
        OrchestrationMetadata lapsed = await harness.WaitForCompletionAsync(SignupStateMachine.InstanceIdOf(joinerId, 1));
        Assert.Contains("Lapsed", lapsed.SerializedOutput, StringComparison.Ordinal);
        EmailMessage told = await harness.Emails.WaitForPurposeAsync(joinerEmail, "-r2:joining-decision:lapsed");
        Assert.Contains("demande n° 2 sur 3", told.PlainText, StringComparison.Ordinal);
        Assert.NotEqual(renewal, RenewalTokenOf(told));
        Assert.Equal(MembershipStatus.Lapsed, (await SignupAsync(harness, joinerId)).Membership);
    }

    [Fact]
    public async Task Forged_and_malformed_links_are_gone()
    {
        await using DurableHarness harness = await StartAsync();
        foreach (string token in new[] { "x", new string('A', 43), "../../etc/passwd", new string('é', 43) })
        {
            Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await JoinRequests(harness).GetAsync(token, default)).Problem?.Code);
            Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await JoinRequests(harness).DecideAsync(token, JoinRequestStatus.Approved, harness.Client, default)).Problem?.Code);
            Assert.Equal(ErrorCodes.JoinRequestLinkInvalid, (await JoinRequests(harness).RenewAsync(token, harness.Client, default)).Problem?.Code);
        }
    }

    [Fact]
    public async Task First_users_of_one_new_siret_activating_together_make_exactly_one_gestionnaire_principal()
    {
        await using DurableHarness harness = await StartAsync();
        string siret = Sirets.NewValid();
        var signups = new List<(string Id, string Email)>();
        for (int i = 0; i < 5; i++)
        {
            (string id, string email) = await harness.SignupUntilActivationEmailAsync(Sirets.NewEmail("racer"), siret);
            signups.Add((id, email));
        }

        // Pending accounts hold nothing: nobody has a role, and the structure does not exist yet.
        SignupEntity[] pending = await Task.WhenAll(signups.Select(s => SignupAsync(harness, s.Id)));
        Assert.All(pending, r => Assert.Null(r.Role));
        Assert.Null(await harness.Services.GetRequiredService<StructureStore>().GetAsync(pending[0].StructureKey, default));

        // All of them activate at once: the structure's keyed insert makes exactly one the gestionnaire principal.
        string[] tokens = signups.Select(s => RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == s.Email))).ToArray();
        await Task.WhenAll(tokens.Select(async token => Expect(await harness.Activations.ActivateAsync(token, ValidActivation(), harness.Client, default))));

        SignupEntity[] rows = await Task.WhenAll(signups.Select(s => WaitForRoleAsync(harness, s.Id)));
        SignupEntity winner = Assert.Single(rows, r => r.Role == MemberRole.GestionnairePrincipal);
        Assert.Equal(MembershipStatus.Active, winner.Membership);
        Assert.Equal(4, rows.Count(r => r.Role == MemberRole.Utilisateur && r.Membership == MembershipStatus.PendingApproval));

        StructureStore structures = harness.Services.GetRequiredService<StructureStore>();
        IReadOnlyList<MemberEntity> members = await structures.ListMembersAsync(rows[0].StructureKey, default);
        Assert.Equal(5, members.Count);
        Assert.Equal(winner.SignupId, Assert.Single(members, m => m.Role == MemberRole.GestionnairePrincipal).AccountId);
        StructureEntity structure = (await structures.GetAsync(rows[0].StructureKey, default))!;
        Assert.Equal(winner.SignupId, structure.CreatedBySignupId);
    }

    [Fact]
    public async Task A_stranger_who_never_activates_holds_nothing_and_the_real_manager_becomes_gestionnaire_principal()
    {
        await using DurableHarness harness = await StartAsync();
        string siret = Sirets.NewValid();

        // A stranger types the company's (public) SIRET with their own contact address and does steps 1 to 3.
        string stranger = Sirets.NewEmail("stranger");
        string strangerContact = Sirets.NewEmail("stranger-contact");
        SignupEntity strangerStarted = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(stranger, "SIRET", siret), "fr", default));
        Assert.False(strangerStarted.StructureExists);
        Expect(await harness.Signups.SubmitDetailsAsync(strangerStarted.SignupId, ValidDetails(stranger) with { ContactEmail = strangerContact }, default));
        Expect(await harness.Signups.SubmitWorkspacesAsync(strangerStarted.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));
        await harness.Emails.WaitForDeliveredAsync(stranger);
        Assert.Null((await SignupAsync(harness, strangerStarted.SignupId)).Role);

        // The real manager: step 1 says no structure exists yet (a pending account is no structure), then activates.
        string manager = Sirets.NewEmail("manager");
        SignupEntity managerStarted = Expect(await harness.Signups.StartAsync(new CreateSignupRequest(manager, "SIRET", siret), "fr", default));
        Assert.False(managerStarted.StructureExists);
        StructureLookupView lookup = await harness.Services.GetRequiredService<StructureLookupService>().LookupAsync("SIRET", siret, null, default);
        Assert.False(lookup.Exists);
        await harness.SubmitDetailsAsync(managerStarted.SignupId, manager);
        Expect(await harness.Signups.SubmitWorkspacesAsync(managerStarted.SignupId, new SubmitWorkspacesRequest(["FACTURES_EMISES"]), harness.Client, default));
        string managerToken = RecordingEmailSender.TokenOf(await harness.Emails.WaitForDeliveredAsync(manager));
        Expect(await harness.Activations.ActivateAsync(managerToken, ValidActivation(), harness.Client, default));

        SignupEntity managerRow = await WaitForRoleAsync(harness, managerStarted.SignupId);
        Assert.Equal(MemberRole.GestionnairePrincipal, managerRow.Role);
        Assert.Equal(MembershipStatus.Active, managerRow.Membership);
        Assert.True((await harness.Services.GetRequiredService<StructureLookupService>().LookupAsync("SIRET", siret, null, default)).Exists);

        // If the stranger activates after all, they only ask to join, and the request (with their name and address)
        // goes to the manager's login address, proven by activation: nothing reaches the stranger's typed addresses.
        string strangerToken = RecordingEmailSender.TokenOf(harness.Emails.Delivered.Single(m => m.To == stranger));
        Expect(await harness.Activations.ActivateAsync(strangerToken, ValidActivation(), harness.Client, default));
        SignupEntity strangerRow = await WaitForRoleAsync(harness, strangerStarted.SignupId);
        Assert.Equal(MemberRole.Utilisateur, strangerRow.Role);
        Assert.Equal(MembershipStatus.PendingApproval, strangerRow.Membership);
        EmailMessage request = await harness.Emails.WaitForPurposeAsync(manager, ":joining-request");
        Assert.Equal($"{strangerStarted.SignupId}:joining-request", request.IdempotencyKey);
        Assert.DoesNotContain(harness.Emails.Attempts, m => m.To == strangerContact && m.IdempotencyKey.Contains(":joining-request", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Emails.Attempts, m => m.To == stranger && m.IdempotencyKey.Contains(":joining-request", StringComparison.Ordinal));
    }
}
