using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChorusFunctions.Testing;
using ChorusFunctions.Testing.Contract;

namespace ChorusFunctions.IntegrationTests.Contract;

/// <summary>
/// Whole signups through the local host over HTTP — happy path, every refusal a client can provoke, a resend, an
/// activation and a deactivation — with every response (status, media type, required headers, body) checked
/// against the OpenAPI document the host serves. Ends by checking that every implemented operation was seen
/// succeeding, so the test cannot quietly stop covering part of the API.
/// </summary>
public sealed class ResponsesMatchContractTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    // Its own validator, not the shared one: the coverage check at the end must count only this test's responses.
    readonly ContractValidator contract = new(OpenApiContract.Default);
    readonly LocalStack stack = fixture.Stack;

    [Fact]
    public async Task Every_response_of_whole_signups_matches_the_contract()
    {
        // The document the host serves is the one the validator reads.
        HttpResponseMessage served = await SendAsync(HttpMethod.Get, "api/openapi.yaml");
        Assert.Equal(Encoding.UTF8.GetString(ChorusFunctions.Contract.ContractAssets.OpenApiYaml), await served.Content.ReadAsStringAsync());
        await SendAsync(HttpMethod.Get, "api/docs");
        await SendAsync(HttpMethod.Get, "api/docs/docs.js");
        await SendAsync(HttpMethod.Get, "api/docs/absent.js", expected: HttpStatusCode.NotFound);
        await SendAsync(HttpMethod.Get, "api/health");
        await SendAsync(HttpMethod.Get, "api/workspaces");

        // Step 1, refused in every documented way, then accepted.
        string email = Sirets.NewEmail("contrat");
        string contact = Sirets.NewEmail("contrat-contact");
        string siret = Sirets.NewValid();
        await SendAsync(HttpMethod.Post, "api/signups", new { loginEmail = email, identifierType = "SIRET", identifier = "12345678901234" }, HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, "api/signups", Raw("{\"loginEmail\":", "application/json"), HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, "api/signups", Raw("loginEmail=x", "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType);
        await SendAsync(HttpMethod.Post, "api/signups", Raw("{\"loginEmail\":\"" + new string('a', 20_000) + "\"}", "application/json"), HttpStatusCode.RequestEntityTooLarge);
        JsonObject signup = await JsonAsync(HttpMethod.Post, "api/signups", new { loginEmail = email, identifierType = "SIRET", identifier = siret }, HttpStatusCode.Created);
        string id = signup["signupId"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, "api/signups", new { loginEmail = email, identifierType = "SIRET", identifier = siret }, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Get, $"api/signups/{id}");
        await SendAsync(HttpMethod.Get, "api/signups/00000000000000000000000000000000", expected: HttpStatusCode.NotFound);

        // Steps 2 and 3, out of order and invalid first.
        await SendAsync(HttpMethod.Put, $"api/signups/{id}/workspaces", new { workspaces = new[] { "FACTURES_EMISES" } }, HttpStatusCode.Conflict);
        await SendAsync(HttpMethod.Put, $"api/signups/{id}/details", Details(email, postalCode: "9110"), HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Put, $"api/signups/{id}/details", Details(email, contactEmail: contact));
        await SendAsync(HttpMethod.Put, $"api/signups/{id}/workspaces", new { workspaces = new[] { "NOPE" } }, HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Put, $"api/signups/{id}/workspaces", new { workspaces = new[] { "FACTURES_EMISES", "SOLLICITATIONS_EMISES" } }, HttpStatusCode.Accepted);
        await SendAsync(HttpMethod.Put, $"api/signups/{id}/details", Details(email, lastName: "Autre"), HttpStatusCode.Conflict);

        // The activation email, a resend, and the stale first link.
        string firstToken = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email));
        await WaitForEmailSentAsync(id);
        await SendAsync(HttpMethod.Get, $"api/activations/{firstToken}");
        await SendAsync(HttpMethod.Post, $"api/signups/{id}/activation-email", expected: HttpStatusCode.Accepted);
        string token = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email, count: 2));
        JsonObject stale = await JsonAsync(HttpMethod.Get, $"api/activations/{firstToken}", expected: HttpStatusCode.Gone);
        Assert.Equal("activation_link_invalid", stale["code"]!.GetValue<string>());
        await SendAsync(HttpMethod.Get, $"api/activations/{new string('A', 43)}", expected: HttpStatusCode.Gone);

        // A new link asked for with the stale one; the newest link is the one used below.
        await WaitForEmailSentAsync(id);
        await SendAsync(HttpMethod.Post, $"api/activations/{firstToken}/renewal", expected: HttpStatusCode.Accepted);
        await SendAsync(HttpMethod.Post, $"api/activations/{new string('A', 43)}/renewal", expected: HttpStatusCode.Gone);
        token = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email, count: 3));

        // Step 4: refused, accepted, the same request again (its answer lost), then the used link.
        await SendAsync(HttpMethod.Post, $"api/activations/{token}", Activation("court"), HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, $"api/activations/{token}", Activation("Printemps-2026!"));
        await SendAsync(HttpMethod.Post, $"api/activations/{token}", Activation("Printemps-2026!"));
        await SendAsync(HttpMethod.Post, $"api/activations/{token}", Activation("Automne-2026!"), HttpStatusCode.Gone);
        JsonObject active = await JsonAsync(HttpMethod.Get, $"api/signups/{id}");
        Assert.Equal("Active", active["status"]!.GetValue<string>());
        await SendAsync(HttpMethod.Post, $"api/signups/{id}/activation-email", expected: HttpStatusCode.Conflict);

        // A signup abandoned at step 2 (the user went back and changed the email): cancelled, repeatably, then gone.
        if (Implemented("CancelSignup"))
        {
            string abandoned = Sirets.NewEmail("contrat");
            JsonObject third = await JsonAsync(HttpMethod.Post, "api/signups", new { loginEmail = abandoned, identifierType = "SIRET", identifier = Sirets.NewValid() }, HttpStatusCode.Created);
            string thirdId = third["signupId"]!.GetValue<string>();
            await SendAsync(HttpMethod.Delete, $"api/signups/{thirdId}");
            await SendAsync(HttpMethod.Delete, $"api/signups/{thirdId}");
            await SendAsync(HttpMethod.Put, $"api/signups/{thirdId}/details", Details(abandoned), HttpStatusCode.Gone);
            await SendAsync(HttpMethod.Delete, $"api/signups/{id}", expected: HttpStatusCode.Conflict);
            await SendAsync(HttpMethod.Delete, "api/signups/00000000000000000000000000000000", expected: HttpStatusCode.NotFound);
        }

        // A second signup closed with "Désactiver mon compte": afterwards its steps answer 410.
        string other = Sirets.NewEmail("contrat");
        JsonObject second = await JsonAsync(HttpMethod.Post, "api/signups", new { loginEmail = other, identifierType = "SIRET", identifier = Sirets.NewValid() }, HttpStatusCode.Created);
        string secondId = second["signupId"]!.GetValue<string>();
        await SendAsync(HttpMethod.Put, $"api/signups/{secondId}/details", Details(other));
        await SendAsync(HttpMethod.Put, $"api/signups/{secondId}/workspaces", new { workspaces = new[] { "FACTURES_EMISES" } }, HttpStatusCode.Accepted);
        string secondToken = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(other));
        await SendAsync(HttpMethod.Post, $"api/activations/{secondToken}/deactivation");
        await SendAsync(HttpMethod.Post, $"api/activations/{secondToken}/deactivation"); // sent again: the first answer
        await SendAsync(HttpMethod.Post, $"api/activations/{secondToken}", Activation("Printemps-2026!"), HttpStatusCode.Gone);
        await SendAsync(HttpMethod.Put, $"api/signups/{secondId}/details", Details(other), HttpStatusCode.Gone);
        await SendAsync(HttpMethod.Post, $"api/signups/{secondId}/activation-email", expected: HttpStatusCode.Gone);

        // Operations other branches are adding: exercised as soon as the document no longer marks them planned, so
        // the coverage check below then demands them.
        if (Implemented("CreateCaptcha"))
        {
            await SendAsync(HttpMethod.Get, "api/captcha");
            await SendAsync(HttpMethod.Get, "api/captcha?kind=image");
            await SendAsync(HttpMethod.Get, "api/captcha?kind=text");
            await SendAsync(HttpMethod.Get, "api/captcha?kind=audio", expected: HttpStatusCode.BadRequest);
            await SendAsync(HttpMethod.Get, "api/proof-of-work");
        }

        if (Implemented("CheckPasswordStrength"))
        {
            await SendAsync(HttpMethod.Post, "api/password-strength", new { password = "marie2026", loginEmail = email, lastName = "Durand", firstName = "Marie" });
            await SendAsync(HttpMethod.Post, "api/password-strength", Raw("password=x", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        }

        // The role, and with it the structure, is decided when the orchestration finalizes the activated account.
        for (int i = 0; i < 300 && (await JsonAsync(HttpMethod.Get, $"api/signups/{id}"))["role"] is not JsonValue; i++)
        {
            await Task.Delay(100);
        }

        if (Implemented("GetStructure"))
        {
            JsonObject existing = await JsonAsync(HttpMethod.Get, $"api/structures/SIRET/{siret}");
            Assert.True(existing["exists"]!.GetValue<bool>());
            JsonObject invalid = await JsonAsync(HttpMethod.Get, "api/structures/SIRET/12345678901234");
            Assert.False(invalid["valid"]!.GetValue<bool>());
        }

        if (Implemented("GetJoinRequest"))
        {
            await JoinAsync(email, contact, siret);
        }

        // Every implemented operation was seen succeeding.
        string[] missed = contract.Contract.Operations
            .Where(o => o.Planned is null && o.Node["responses"]!.AsObject().Any(r => r.Key.StartsWith('2')))
            .Where(o => !contract.Seen.Any(s => s.OperationId == o.OperationId && s.Status.StartsWith('2')))
            .Select(o => o.OperationId!)
            .ToArray();
        Assert.True(missed.Length == 0, "No successful response was checked for: " + string.Join(", ", missed));
    }

    bool Implemented(string operationId) => contract.Contract.Operations.Any(o => o.OperationId == operationId && o.Planned is null);

    /// <summary>
    /// A second user of the (now active) gestionnaire principal's structure files a joining request; the
    /// gestionnaire principal reads it from the link in their email and refuses it; the spent link answers 410.
    /// </summary>
    async Task JoinAsync(string gestionnaire, string contact, string siret)
    {
        string joiner = Sirets.NewEmail("contrat-rattachement");
        JsonObject started = await JsonAsync(HttpMethod.Post, "api/signups", new { loginEmail = joiner, identifierType = "SIRET", identifier = siret }, HttpStatusCode.Created);
        Assert.True(started["structure"]!["exists"]!.GetValue<bool>());
        string joinerId = started["signupId"]!.GetValue<string>();
        await SendAsync(HttpMethod.Put, $"api/signups/{joinerId}/details", Details(joiner));
        await SendAsync(HttpMethod.Put, $"api/signups/{joinerId}/workspaces", new { workspaces = new[] { "FACTURES_EMISES" } }, HttpStatusCode.Accepted);
        string activation = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(joiner));
        await SendAsync(HttpMethod.Post, $"api/activations/{activation}", Activation("Printemps-2026!"));

        Mailbox.Message request = await stack.Mailbox.WaitForMessageAsync(gestionnaire,
            where: m => m.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase));
        string token = Mailbox.ActivationToken(request);
        await SendAsync(HttpMethod.Get, $"api/join-requests/{token}");
        await SendAsync(HttpMethod.Post, $"api/join-requests/{token}/refusal");
        await SendAsync(HttpMethod.Post, $"api/join-requests/{token}/approval", expected: HttpStatusCode.Gone);
        await SendAsync(HttpMethod.Get, $"api/join-requests/{new string('A', 43)}", expected: HttpStatusCode.Gone);
        await SendAsync(HttpMethod.Post, $"api/join-requests/{new string('A', 43)}/renewal", expected: HttpStatusCode.Gone);

        // The gestionnaire principal's contact address got its verification link, not the request; once confirmed,
        // the next request (the renewal below) reaches it too.
        Mailbox.Message verification = await stack.Mailbox.WaitForMessageAsync(contact);
        System.Text.RegularExpressions.Match link = System.Text.RegularExpressions.Regex.Match(verification.PlainText, @"contact=([A-Za-z0-9_\-]+)");
        Assert.True(link.Success, verification.PlainText);
        string contactLink = link.Groups[1].Value;
        JsonObject shown = await JsonAsync(HttpMethod.Get, $"api/contact-verifications/{contactLink}");
        Assert.False(shown["verified"]!.GetValue<bool>());
        JsonObject verified = await JsonAsync(HttpMethod.Post, $"api/contact-verifications/{contactLink}");
        Assert.True(verified["verified"]!.GetValue<bool>());
        await SendAsync(HttpMethod.Get, $"api/contact-verifications/{new string('A', 43)}", expected: HttpStatusCode.Gone);
        await SendAsync(HttpMethod.Post, $"api/contact-verifications/{token}", expected: HttpStatusCode.Gone);

        // The refused joiner asks again from their email's renewal link (after the stack's short cool-down: 429 until then).
        Mailbox.Message refused = await stack.Mailbox.WaitForMessageAsync(joiner, where: m => m.Subject.Contains("refusée", StringComparison.Ordinal));
        string renewal = System.Text.RegularExpressions.Regex.Match(refused.PlainText, @"renewal=([A-Za-z0-9_\-]+)").Groups[1].Value;
        for (int attempt = 0; ; attempt++)
        {
            using HttpResponseMessage renewed = await stack.Http.PostAsync($"api/join-requests/{renewal}/renewal", null);
            await renewed.Content.LoadIntoBufferAsync();
            await contract.AssertMatchesAsync(renewed);
            if (renewed.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(renewed.StatusCode == HttpStatusCode.TooManyRequests && attempt < 60, $"Renewal: {(int)renewed.StatusCode} {await renewed.Content.ReadAsStringAsync()}");
            await Task.Delay(500);
        }

        await stack.Mailbox.WaitForMessageAsync(contact, where: m => m.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase));

        // Approval is the other decision: a second joiner, approved.
        string second = Sirets.NewEmail("contrat-rattachement");
        JsonObject secondStarted = await JsonAsync(HttpMethod.Post, "api/signups", new { loginEmail = second, identifierType = "SIRET", identifier = siret }, HttpStatusCode.Created);
        string secondId = secondStarted["signupId"]!.GetValue<string>();
        await SendAsync(HttpMethod.Put, $"api/signups/{secondId}/details", Details(second));
        await SendAsync(HttpMethod.Put, $"api/signups/{secondId}/workspaces", new { workspaces = new[] { "FACTURES_EMISES" } }, HttpStatusCode.Accepted);
        await SendAsync(HttpMethod.Post, $"api/activations/{Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(second))}", Activation("Printemps-2026!"));
        Mailbox.Message secondRequest = await stack.Mailbox.WaitForMessageAsync(gestionnaire, count: 2,
            where: m => m.Subject.Contains("rattachement", StringComparison.OrdinalIgnoreCase));
        await SendAsync(HttpMethod.Post, $"api/join-requests/{Mailbox.ActivationToken(secondRequest)}/approval");
    }

    async Task WaitForEmailSentAsync(string id)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            JsonObject signup = await JsonAsync(HttpMethod.Get, $"api/signups/{id}");
            if (signup["emailDelivery"]?.GetValue<string>() == "Sent")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The signup never reported its activation email as sent.");
    }

    async Task<JsonObject> JsonAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        HttpResponseMessage response = await SendAsync(method, path, body, expected);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Sends, checks the status the scenario expects, then checks the response against the contract.</summary>
    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                _ => JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            },
        };
        HttpResponseMessage response = await stack.Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        Assert.True(response.StatusCode == expected,
            $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await contract.AssertMatchesAsync(response);
        return response;
    }

    static StringContent Raw(string body, string mediaType) => new(body, Encoding.UTF8, mediaType);

    static object Details(string email, string postalCode = "75011", string lastName = "Durand", string? contactEmail = null) => new
    {
        loginEmailConfirmation = email,
        lastName,
        firstName = "Marie",
        contactEmail,
        captcha = new { id = "test", answer = "test" },
        structure = new
        {
            companyName = "SOCIETE CONTRAT",
            label = (string?)null,
            address = "1 RUE DE LA PAIX",
            addressComplement1 = (string?)null,
            addressComplement2 = (string?)null,
            postalCode,
            city = "PARIS",
            country = "FR",
        },
        features = new { paymentRequests = true, dume = false },
    };

    static object Activation(string password) => new
    {
        password,
        passwordConfirmation = password,
        secretQuestion = "Nom de mon premier animal de compagnie ?",
        secretAnswer = "Caramel",
    };
}
