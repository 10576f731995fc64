using System.Net;
using ChorusFunctions.Activation;
using ChorusFunctions.Security;
using ChorusFunctions.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChorusFunctions.IntegrationTests.Security;

/// <summary>
/// Captures every log line of whole signups — captcha, every step, a new link, refused and successful activation,
/// the strength check, a deactivation — at every level the app writes, and finds no password, secret answer,
/// activation token or captcha answer in them.
/// </summary>
public sealed class SecretLogTests
{
    [Fact]
    public async Task No_secret_appears_in_any_log_line_of_a_whole_signup()
    {
        await using LocalStack stack = await SecurityStack.StartAsync(new()
        {
            ["Captcha:Provider"] = "Image",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:ChorusFunctions"] = "Trace",
        });
        using var solver = new CaptchaSolver(stack);
        var api = new ApiClient(stack);
        var secrets = new List<string>();

        // ASP.NET Core's request log (Information) carries the URL, hence the activation token: the host keeps it at Warning.
        Assert.Equal("Warning", stack.Services.GetRequiredService<IConfiguration>()["Logging:LogLevel:Microsoft.AspNetCore"]);

        string email = SecurityStack.Email("secret");
        ApiClient.Response started = await api.StartAsync(email);
        string signupId = started.Text("signupId");

        string wrongCaptcha = (await api.SendAsync(HttpMethod.Get, "api/captcha")).Text("id");
        string wrongAnswer = solver.AnswerOf(wrongCaptcha) == "HJKMN" ? "PRTWX" : "HJKMN";
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", SecurityStack.Details(email, wrongCaptcha, wrongAnswer))).Status);
        string captcha = (await api.SendAsync(HttpMethod.Get, "api/captcha")).Text("id");
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, $"api/signups/{signupId}/details", SecurityStack.Details(email, captcha, solver.AnswerOf(captcha)))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(signupId)).Status);
        string firstToken = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email));
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Post, $"api/signups/{signupId}/activation-email")).Status);
        string token = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email, 2));
        Assert.Equal(HttpStatusCode.Gone, (await api.SendAsync(HttpMethod.Get, $"api/activations/{firstToken}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"api/activations/{token}")).Status);

        const string password = "Sapin-Bleu-Qz7!kW";
        const string typo = "Sapin-Bleu-Qz7!kX";
        const string commonPassword = "Password1";
        const string answer = "Théodore Lémonnier";
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, "api/password-strength", new { password, loginEmail = email, lastName = "Lucas", firstName = "Georges" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}", new { password, passwordConfirmation = typo, secretQuestion = "Grand-père ?", secretAnswer = answer })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}", new { password = commonPassword, passwordConfirmation = commonPassword, secretQuestion = "Grand-père ?", secretAnswer = answer })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}", new { password, passwordConfirmation = password, secretQuestion = "Grand-père ?", secretAnswer = answer })).Status);

        // A second signup closed by its owner, and a replayed (used) link.
        string other = SecurityStack.Email("closed");
        string otherId = (await api.StartAsync(other)).Text("signupId");
        string otherCaptcha = (await api.SendAsync(HttpMethod.Get, "api/captcha")).Text("id");
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, $"api/signups/{otherId}/details", SecurityStack.Details(other, otherCaptcha, solver.AnswerOf(otherCaptcha).ToLowerInvariant()))).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(otherId)).Status);
        string closeToken = Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(other));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Post, $"api/activations/{closeToken}/deactivation")).Status);
        Assert.Equal(HttpStatusCode.Gone, (await api.SendAsync(HttpMethod.Post, $"api/activations/{token}", new { password, passwordConfirmation = password, secretQuestion = "Q ?", secretAnswer = answer })).Status);

        await Task.Delay(1_000); // let the orchestrations log their last lines
        secrets.AddRange([password, typo, commonPassword, answer, SecretHasher.NormalizeAnswer(answer), firstToken, token, closeToken,
            Uri.EscapeDataString(token), ActivationTokens.Hash(token), wrongAnswer, solver.AnswerOf(wrongCaptcha), solver.AnswerOf(captcha), solver.AnswerOf(otherCaptcha), solver.AnswerOf(otherCaptcha).ToLowerInvariant()]);

        IReadOnlyCollection<string> lines = stack.Logs.Lines;
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines captured");
        Assert.Contains(lines, l => l.Contains(signupId, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains($"Captcha {captcha} issued", StringComparison.Ordinal));
        foreach (string secret in secrets.Distinct())
        {
            string? leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a secret appears in the logs: {leak}");
        }
    }
}
