using System.Net;
using Azure.Data.Tables;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Testing;
using ChorusFunctions.Testing.Contract;

namespace ChorusFunctions.IntegrationTests.Security;

public sealed class CaptchaFlowTests : IAsyncLifetime
{
    LocalStack stack = null!;
    ApiClient api = null!;
    CaptchaSolver solver = null!;

    public async Task InitializeAsync()
    {
        stack = await SecurityStack.StartAsync(new() { ["Captcha:Provider"] = "Image", ["RateLimits:TextCaptchaPerIp:PermitLimit"] = "100" });
        api = new ApiClient(stack);
        solver = new CaptchaSolver(stack);
    }

    public async Task DisposeAsync()
    {
        solver.Dispose();
        await stack.DisposeAsync();
    }

    async Task<(string Id, string Answer)> NewCaptchaAsync()
    {
        ApiClient.Response response = await api.SendAsync(HttpMethod.Get, "api/captcha");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        string id = response.Text("id");
        return (id, solver.AnswerOf(id));
    }

    async Task<string> StartAsync(string email)
    {
        ApiClient.Response started = await api.StartAsync(email);
        Assert.Equal(HttpStatusCode.Created, started.Status);
        return started.Text("signupId");
    }

    [Fact]
    public async Task A_captcha_is_a_png_and_only_a_keyed_hash_of_its_answer_is_stored()
    {
        ApiClient.Response response = await api.SendAsync(HttpMethod.Get, "api/captcha");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Body!["required"]!.GetValue<bool>());
        Assert.Equal("no-store", response.Raw.Headers.CacheControl?.ToString());
        string id = response.Text("id");
        Assert.True(CaptchaStore.IsWellFormedId(id));
        string image = response.Text("image");
        Assert.StartsWith("data:image/png;base64,", image, StringComparison.Ordinal);
        byte[] png = Convert.FromBase64String(image["data:image/png;base64,".Length..]);
        Assert.Equal(0x89, png[0]);
        Assert.Equal((byte)'P', png[1]);

        string answer = solver.AnswerOf(id);
        Assert.InRange(answer.Length, ImageCaptchaProvider.MinLength, ImageCaptchaProvider.MaxLength);
        Assert.All(answer, c => Assert.Contains(c, ImageCaptchaProvider.Alphabet));
        Assert.DoesNotContain(answer, response.Body.ToJsonString(), StringComparison.Ordinal);

        CaptchaEntity row = (await stack.Table(TableNames.Captchas).GetEntityAsync<CaptchaEntity>(id[..12], id[12..])).Value;
        Assert.Equal(32, Convert.FromBase64String(row.AnswerHash).Length);
        Assert.DoesNotContain(answer, row.AnswerHash, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(row.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Step_two_takes_the_right_answer_once_case_insensitively()
    {
        string email = SecurityStack.Email("captcha");
        string signupId = await StartAsync(email);
        string details = $"api/signups/{signupId}/details";

        (await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, null, null))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        (string id, string answer) = await NewCaptchaAsync();
        ApiClient.Response wrong = await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, id, answer == "AAAAA" ? "CCCCC" : "AAAAA"));
        wrong.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(wrong.Body!["errors"]!["captcha.answer"]);

        // One image, one try: the right answer after a wrong one is refused.
        (await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, id, answer))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        (string id2, string answer2) = await NewCaptchaAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, id2, " " + answer2.ToLowerInvariant()))).Status);

        // The signup passed the captcha: the same PUT again (a retry) or a correction needs no new image.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, id2, answer2))).Status);

        // A solved captcha cannot serve another signup.
        string other = SecurityStack.Email("captcha");
        string otherId = await StartAsync(other);
        (await api.SendAsync(HttpMethod.Put, $"api/signups/{otherId}/details", SecurityStack.Details(other, id2, answer2))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task An_expired_captcha_is_refused()
    {
        string email = SecurityStack.Email("expired");
        string signupId = await StartAsync(email);
        (string id, string answer) = await NewCaptchaAsync();
        TableClient table = stack.Table(TableNames.Captchas);
        CaptchaEntity row = (await table.GetEntityAsync<CaptchaEntity>(id[..12], id[12..])).Value;
        row.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await table.UpdateEntityAsync(row, row.ETag);

        (await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", SecurityStack.Details(email, id, answer))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    async Task<(string Id, string Question, string Answer)> NewQuestionAsync()
    {
        ApiClient.Response response = await api.SendAsync(HttpMethod.Get, "api/captcha?kind=text");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        string id = response.Text("id");
        return (id, response.Text("question"), solver.AnswerOf(id));
    }

    /// <summary>The answer as a person might type it: a number in words, a word in capitals with spaces.</summary>
    static string TypedAsAPerson(string answer) =>
        int.TryParse(answer, out int number) ? FrenchNumbers.ToWords(number).ToUpperInvariant() : " " + string.Join(' ', answer.ToUpperInvariant().ToCharArray());

    [Fact]
    public async Task A_text_captcha_is_a_question_and_only_a_keyed_hash_of_its_answer_is_stored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/captcha?kind=text");
        using HttpResponseMessage raw = await stack.Http.SendAsync(request);
        await ContractValidator.Default.AssertMatchesAsync(raw);

        ApiClient.Response response = await api.SendAsync(HttpMethod.Get, "api/captcha?kind=text");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("no-store", response.Raw.Headers.CacheControl?.ToString());
        Assert.True(response.Body!["required"]!.GetValue<bool>());
        Assert.Null(response.Body["image"]);
        string id = response.Text("id");
        Assert.True(CaptchaStore.IsWellFormedId(id));
        string question = response.Text("question");
        Assert.Matches("[?.]$", question);
        Assert.DoesNotContain(question, char.IsDigit);

        string answer = solver.AnswerOf(id);
        Assert.Equal(answer, TextChallenge.Normalize(answer));
        CaptchaEntity row = (await stack.Table(TableNames.Captchas).GetEntityAsync<CaptchaEntity>(id[..12], id[12..])).Value;
        Assert.Equal(CaptchaKind.Text, row.Kind);
        Assert.Equal(32, Convert.FromBase64String(row.AnswerHash).Length);
        Assert.InRange(row.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Equal(DateTimeOffset.Parse(response.Text("expiresAt"), System.Globalization.CultureInfo.InvariantCulture), row.ExpiresAt);
    }

    [Fact]
    public async Task Step_two_takes_the_text_answer_once_in_digits_or_in_words()
    {
        string email = SecurityStack.Email("question");
        string signupId = await StartAsync(email);
        string details = $"api/signups/{signupId}/details";

        (string id, _, string answer) = await NewQuestionAsync();
        ApiClient.Response wrong = await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, id, answer + "0"));
        wrong.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(SignupService.CaptchaRefusedMessage, wrong.Body!["errors"]!["captcha.answer"]![0]!.GetValue<string>());

        // One question, one try: the right answer after a wrong one is refused.
        (await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, id, answer))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        // An image's id answered as a question is just a wrong answer.
        (string imageId, _) = await NewCaptchaAsync();
        (await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, imageId, answer))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        (string id2, string question2, string answer2) = await NewQuestionAsync();
        ApiClient.Response accepted = await api.SendAsync(HttpMethod.Put, details, SecurityStack.Details(email, id2, TypedAsAPerson(answer2)));
        Assert.True(accepted.Status == HttpStatusCode.OK, $"{question2} answered {TypedAsAPerson(answer2)}: {accepted.Body}");

        // A solved question cannot serve another signup.
        string other = SecurityStack.Email("question");
        string otherId = await StartAsync(other);
        (await api.SendAsync(HttpMethod.Put, $"api/signups/{otherId}/details", SecurityStack.Details(other, id2, answer2))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        // Many questions in a row, each answered once in digits or letters: every expected answer verifies.
        for (int i = 0; i < 12; i++)
        {
            string next = SecurityStack.Email("question");
            string nextId = await StartAsync(next);
            (string questionId, string question, string expected) = await NewQuestionAsync();
            ApiClient.Response response = await api.SendAsync(HttpMethod.Put, $"api/signups/{nextId}/details", SecurityStack.Details(next, questionId, expected));
            Assert.True(response.Status == HttpStatusCode.OK, $"{question} answered {expected}: {response.Body}");
        }
    }

    [Theory]
    [InlineData("kind=audio")]
    [InlineData("kind=")]
    [InlineData("kind=Text")]
    [InlineData("kind=text&kind=text")]
    [InlineData("kind=%3Cscript%3E")]
    public async Task An_unknown_captcha_kind_is_a_400_problem_on_kind(string query)
    {
        using HttpResponseMessage raw = await stack.Http.GetAsync("api/captcha?" + query);
        await ContractValidator.Default.AssertMatchesAsync(raw);

        ApiClient.Response response = await api.SendAsync(HttpMethod.Get, "api/captcha?" + query);
        response.AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(CreateCaptcha.UnknownKindMessage, response.Body!["errors"]!["kind"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("' or PartitionKey ne '")]
    [InlineData("202611251430abcdefabcdefabcdefabcdefabcdefab")]
    [InlineData("")]
    public async Task Forged_captcha_ids_are_refused_without_a_5xx(string id)
    {
        string email = SecurityStack.Email("forged");
        string signupId = await StartAsync(email);
        (await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", SecurityStack.Details(email, id, "ACDEF"))).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }
}

public sealed class CaptchaOffTests(LocalStackFixture fixture) : IClassFixture<LocalStackFixture>
{
    [Fact]
    public async Task With_the_captcha_off_the_front_end_is_told_none_is_required()
    {
        ApiClient.Response response = await new ApiClient(fixture.Stack).SendAsync(HttpMethod.Get, "api/captcha");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("{\"required\":false}", response.Body!.ToJsonString());

        ApiClient.Response text = await new ApiClient(fixture.Stack).SendAsync(HttpMethod.Get, "api/captcha?kind=text");
        Assert.Equal(HttpStatusCode.OK, text.Status);
        Assert.Equal("{\"required\":false}", text.Body!.ToJsonString());
    }
}
