using System.Text.Json;
using System.Text.Json.Nodes;
using ChorusFunctions.Activation;
using ChorusFunctions.Contract;
using ChorusFunctions.Health;
using ChorusFunctions.Http;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.ProofOfWork;
using ChorusFunctions.Signup;
using ChorusFunctions.Structures;
using ChorusFunctions.Testing;
using ChorusFunctions.Testing.Contract;
using ChorusFunctions.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Contract;

/// <summary>
/// Responses produced by the real function classes and result types, checked against the document without a host.
/// The integration tests do the same over HTTP on the local host for a whole signup.
/// </summary>
public sealed class FunctionResponsesMatchContractTests
{
    const string SignupId = "3f2b8c1d9e4a4b6f8a7c5d2e1f0a9b8c";
    const string Token = "q3Vb0u8y2YwzS1hJm5tqKp9fXo4RZc7LdEaNgWi6TvU";

    static void AssertValid(ContractCheck check) => Assert.True(check.IsValid, check.ToString());

    /// <summary>
    /// A function whose services are all null: a refused body is answered before any service is reached. Built
    /// through its constructor's parameter count so that a service added to the function does not break this test.
    /// </summary>
    static T WithoutServices<T>() where T : class =>
        (T)typeof(T).GetConstructors().Single().Invoke(new object?[typeof(T).GetConstructors().Single().GetParameters().Length]);

    static async Task AssertMatchesAsync(IActionResult result, string method, string path) =>
        AssertValid((await FunctionResponse.ExecuteAsync(result)).CheckAgainst(method, path));

    [Fact]
    public async Task Health_and_workspaces_match()
    {
        await AssertMatchesAsync(new GetHealth().Run(FunctionResponse.Request()), "GET", "/api/health");
        await AssertMatchesAsync(new ListWorkspaces().Run(FunctionResponse.Request()), "GET", "/api/workspaces");
    }

    [Fact]
    public async Task The_contract_and_its_reference_page_are_served_as_documented()
    {
        FunctionResponse document = await FunctionResponse.ExecuteAsync(new GetOpenApiDocument().Run(FunctionResponse.Request()));
        AssertValid(document.CheckAgainst("GET", "/api/openapi.yaml"));
        Assert.StartsWith("openapi: 3.1", document.Body, StringComparison.Ordinal);

        FunctionResponse page = await FunctionResponse.ExecuteAsync(new GetApiDocs().Run(FunctionResponse.Request()));
        AssertValid(page.CheckAgainst("GET", "/api/docs"));
        Assert.Contains("script-src 'self'", page.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page.Body, StringComparison.Ordinal);

        await AssertMatchesAsync(new GetApiDocsAsset().Run(FunctionResponse.Request(), "docs.js"), "GET", "/api/docs/docs.js");
        await AssertMatchesAsync(new GetApiDocsAsset().Run(FunctionResponse.Request(), "nope.js"), "GET", "/api/docs/nope.js");
    }

    [Fact]
    public async Task The_scalar_bundle_is_still_inside_the_pinned_package()
    {
        // The resource name is Scalar.AspNetCore's internal detail: a package update that moves it fails here, not in a browser.
        Assert.True(ContractAssets.ScalarJsGzip.Length > 100_000);
        FunctionResponse gzip = await FunctionResponse.ExecuteAsync(new GetApiDocsAsset().Run(FunctionResponse.Request(acceptEncoding: "gzip, br"), "scalar.js"));
        Assert.Equal("gzip", gzip.Headers["Content-Encoding"]);
        AssertValid(gzip.CheckAgainst("GET", "/api/docs/scalar.js"));

        FunctionResponse plain = await FunctionResponse.ExecuteAsync(new GetApiDocsAsset().Run(FunctionResponse.Request(), "scalar.js"));
        Assert.False(plain.Headers.ContainsKey("Content-Encoding"));
        Assert.Contains("createApiReference", plain.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain", "{}", 415)]
    [InlineData("application/json", "{\"loginEmail\":", 400)]
    [InlineData("application/json", "{\"loginEmail\":\"a@b.fr\",\"identifierType\":\"SIRET\",\"identifier\":\"1\",\"admin\":true}", 400)]
    [InlineData("application/json", "[1,2,3]", 400)]
    public async Task Refused_bodies_are_documented_problems(string contentType, string body, int status)
    {
        IActionResult result = await WithoutServices<CreateSignup>().Run(FunctionResponse.Request("POST", contentType, body), CancellationToken.None);
        FunctionResponse response = await FunctionResponse.ExecuteAsync(result);
        Assert.Equal(status, response.Status);
        AssertValid(response.CheckAgainst("POST", "/api/signups"));
    }

    [Fact]
    public async Task An_oversized_body_is_a_documented_problem()
    {
        string body = "{\"loginEmail\":\"" + new string('a', RequestReader.MaxBodyBytes) + "\"}";
        IActionResult result = await WithoutServices<SubmitSignupWorkspaces>().Run(FunctionResponse.Request("PUT", "application/json", body), SignupId, null!, CancellationToken.None);
        FunctionResponse response = await FunctionResponse.ExecuteAsync(result);
        Assert.Equal(413, response.Status);
        AssertValid(response.CheckAgainst("PUT", $"/api/signups/{SignupId}/workspaces"));
    }

    public static TheoryData<string, string, string> Problems() => new()
    {
        { nameof(ApiProblem.SignupNotFound), "GET", $"/api/signups/{SignupId}" },
        { nameof(ApiProblem.SignupExpired), "PUT", $"/api/signups/{SignupId}/details" },
        { nameof(ApiProblem.StepOutOfOrder), "PUT", $"/api/signups/{SignupId}/workspaces" },
        { nameof(ApiProblem.Validation), "POST", "/api/signups" },
        { nameof(ApiProblem.SignupExpired), "POST", $"/api/activations/{Token}" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public async Task Problem_factories_write_documented_problems(string factory, string method, string path)
    {
        ApiProblem problem = factory switch
        {
            nameof(ApiProblem.SignupNotFound) => ApiProblem.SignupNotFound(),
            nameof(ApiProblem.SignupExpired) => ApiProblem.SignupExpired(),
            nameof(ApiProblem.StepOutOfOrder) => ApiProblem.StepOutOfOrder(nameof(SignupStatus.AwaitingDetails)),
            _ => ApiProblem.Validation("structure.postalCode", "Le code postal doit comporter 5 chiffres."),
        };

        await AssertMatchesAsync(ApiResults.Problem(problem), method, path);
    }

    public static TheoryData<SignupStatus> Statuses() => new(Enum.GetValues<SignupStatus>());

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task A_signup_in_any_state_is_a_documented_signup(SignupStatus status)
    {
        bool afterStep3 = status is not (SignupStatus.AwaitingDetails or SignupStatus.AwaitingWorkspaces);
        var entity = new SignupEntity
        {
            PartitionKey = SignupId,
            Status = status,
            CreatedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
            LoginEmail = "marie.durand@truffaut.fr",
            Language = "fr",
            IdentifierType = IdentifierType.SIRET,
            Identifier = "44942603000135",
            StructureKey = "SIRET_44942603000135",
            CompanyName = "ETS HORTICOLES GEORGES TRUFFAUT",
            Country = "FR",
            Prefilled = true,
            ContactEmail = afterStep3 ? "comptabilite@truffaut.fr" : null,
            LastName = afterStep3 ? "Durand" : null,
            FirstName = afterStep3 ? "Marie" : null,
            Workspaces = afterStep3 ? "FACTURES_EMISES,SOLLICITATIONS_EMISES" : null,
            Role = status == SignupStatus.Active ? MemberRole.GestionnairePrincipal : null,
            Membership = status == SignupStatus.Active ? MembershipStatus.Active : null,
            EmailDelivery = afterStep3 ? EmailDelivery.Sent : null,
        };

        await AssertMatchesAsync(ApiResults.Ok(SignupView.From(entity, DateTimeOffset.UtcNow)), "GET", $"/api/signups/{SignupId}");
        // Step 1's answer carries the signup's cookie, set by the function on the response before the result is written.
        var created = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        new SignupCookie(new ActivationTokens(Microsoft.Extensions.Options.Options.Create(new SecurityOptions { TokenKey = Testing.LocalStack.TestTokenKey })), null!)
            .SetOwner(created.Request, SignupId);
        AssertValid((await FunctionResponse.ExecuteAsync(ApiResults.Created($"/api/signups/{SignupId}", SignupView.From(entity, DateTimeOffset.UtcNow)), created)).CheckAgainst("POST", "/api/signups"));
        await AssertMatchesAsync(ApiResults.Accepted($"/api/signups/{SignupId}", SignupView.From(entity, DateTimeOffset.UtcNow)), "POST", $"/api/signups/{SignupId}/activation-email");
    }

    [Theory]
    [InlineData("?kind=audio")]
    [InlineData("?kind=")]
    [InlineData("?kind=TEXT")]
    [InlineData("?kind=text&kind=image")]
    public async Task An_unknown_captcha_kind_is_a_documented_problem_on_kind(string query)
    {
        Microsoft.AspNetCore.Http.HttpRequest request = FunctionResponse.Request();
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);
        FunctionResponse response = await FunctionResponse.ExecuteAsync(await WithoutServices<CreateCaptcha>().Run(request, CancellationToken.None));
        AssertValid(response.CheckAgainst("GET", "/api/captcha"));
        Assert.Equal(400, response.Status);
        Assert.Equal(CreateCaptcha.UnknownKindMessage, JsonNode.Parse(response.Body)!["errors"]!["kind"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Both_captcha_kinds_are_documented_challenges()
    {
        var expiresAt = new DateTimeOffset(2026, 3, 2, 9, 20, 0, TimeSpan.Zero);
        string id = CaptchaStore.NewId(expiresAt);
        await AssertMatchesAsync(ApiResults.Ok(new CaptchaChallenge { Required = true, Id = id, Image = "data:image/png;base64," + Convert.ToBase64String(CaptchaRenderer.RenderPng("ACDEF")), ExpiresAt = expiresAt }), "GET", "/api/captcha");
        for (int seed = 0; seed < 50; seed++)
        {
            TextChallenge text = TextChallenge.Create(new Random(seed).Next);
            await AssertMatchesAsync(ApiResults.Ok(new CaptchaChallenge { Required = true, Id = id, Question = text.Question, ExpiresAt = expiresAt }), "GET", "/api/captcha");
        }

        await AssertMatchesAsync(ApiResults.Ok(CaptchaChallenge.NotRequired), "GET", "/api/captcha");
    }

    [Fact]
    public async Task Proof_of_work_challenges_and_refusals_are_documented()
    {
        var keys = new SecurityKeys(Options.Create(new SecurityOptions { TokenKey = LocalStack.TestTokenKey }));
        await AssertMatchesAsync(ApiResults.Ok(ProofOfWorkService.Issue(new ProofOfWorkOptions(), keys, DateTimeOffset.UtcNow)), "GET", "/api/proof-of-work");
        await AssertMatchesAsync(ApiResults.Ok(ProofOfWorkChallenge.NotRequired), "GET", "/api/proof-of-work");
        await AssertMatchesAsync(ApiResults.Problem(ProofOfWorkProblems.Invalid()), "POST", "/api/signups");
        await AssertMatchesAsync(ApiResults.Problem(ProofOfWorkProblems.Expired()), "POST", "/api/signups");
        await AssertMatchesAsync(ApiResults.Problem(ApiProblem.IdempotencyKeyReused()), "POST", "/api/signups");
    }

    [Fact]
    public async Task Activation_results_match()
    {
        await AssertMatchesAsync(ApiResults.Ok(new ActivationView("marie.durand@truffaut.fr", "marie.durand@truffaut.fr", "Durand", "Marie", null)), "GET", $"/api/activations/{Token}");
        await AssertMatchesAsync(ApiResults.Ok(new ActivationResult(SignupId, SignupStatus.Active)), "POST", $"/api/activations/{Token}");
        await AssertMatchesAsync(ApiResults.Ok(new ActivationResult(SignupId, SignupStatus.Cancelled)), "POST", $"/api/activations/{Token}/deactivation");
    }

    [Fact]
    public void The_validator_refuses_what_the_contract_does_not_allow()
    {
        // Guards against a validator that passes everything (a schema that failed to build, refs that resolve to nothing).
        var headers = new Dictionary<string, string> { ["Cache-Control"] = "no-store" };
        ContractCheck extraMember = ContractValidator.Default.Check("GET", "/api/health", 200, "application/json", "{\"status\":\"ok\",\"debug\":1}", headers);
        ContractCheck wrongEnum = ContractValidator.Default.Check("GET", $"/api/signups/{SignupId}", 404, "application/problem+json",
            "{\"type\":\"https://chorusfunctions.example/problems/x\",\"title\":\"t\",\"status\":404,\"detail\":\"d\",\"code\":\"email_taken\"}", headers);
        ContractCheck undocumentedStatus = ContractValidator.Default.Check("GET", "/api/health", 418, "application/json", "{}", headers);
        ContractCheck missingHeader = ContractValidator.Default.Check("GET", "/api/health", 200, "application/json", "{\"status\":\"ok\"}", new Dictionary<string, string>());
        ContractCheck unknownPath = ContractValidator.Default.Check("GET", "/api/nothing", 200, null, null);
        ContractCheck badDate = ContractValidator.Default.Check("POST", $"/api/activations/{Token}", 200, "application/json", "{\"signupId\":\"nothex\",\"status\":\"Active\"}", headers);

        ContractCheck notADate = ContractValidator.Default.Check("GET", "/api/docs/x", 404, "application/problem+json",
            "{\"type\":\"pas une adresse\",\"title\":\"t\",\"status\":404,\"detail\":\"d\",\"code\":\"not_found\"}", headers);

        Assert.All([extraMember, wrongEnum, undocumentedStatus, missingHeader, unknownPath, badDate, notADate], c => Assert.False(c.IsValid, c.ToString()));
        Assert.Contains(notADate.Violations, v => v.Contains("/type", StringComparison.Ordinal));
        Assert.Contains(wrongEnum.Violations, v => v.Contains("/code", StringComparison.Ordinal));
        Assert.Contains(extraMember.Violations, v => v.Contains("debug", StringComparison.Ordinal) || v.Contains("additionalProperties", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_documented_example_matches_its_schema()
    {
        // Spectral checks examples too; this proves the .NET validator reads the schemas the same way.
        OpenApiContract contract = OpenApiContract.Default;
        var problems = new List<string>();
        foreach (ContractOperation operation in contract.Operations)
        {
            var media = new List<(string Where, JsonObject Media)>();
            if (operation.Node["requestBody"] is JsonObject body)
            {
                media.AddRange(contract.Resolve(body)["content"]!.AsObject().Select(c => ($"{operation.OperationId} request {c.Key}", c.Value!.AsObject())));
            }

            foreach ((string status, JsonNode? response) in operation.Node["responses"]!.AsObject())
            {
                media.AddRange((contract.Resolve(response!.AsObject())["content"]?.AsObject() ?? [])
                    .Where(c => c.Key.EndsWith("json", StringComparison.Ordinal))
                    .Select(c => ($"{operation.OperationId} {status} {c.Key}", c.Value!.AsObject())));
            }

            foreach ((string where, JsonObject mediaType) in media)
            {
                foreach ((string name, JsonNode? example) in mediaType["examples"]?.AsObject() ?? [])
                {
                    JsonNode? value = contract.Resolve(example!.AsObject())["value"];
                    using JsonDocument document = JsonDocument.Parse(value?.ToJsonString() ?? "null");
                    problems.AddRange(ContractValidator.Default.ValidateValue(mediaType["schema"]!, document.RootElement).Select(e => $"{where} example {name}: {e}"));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
