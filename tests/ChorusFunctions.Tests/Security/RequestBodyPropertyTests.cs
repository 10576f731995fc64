using ChorusFunctions.Activation;
using ChorusFunctions.Http;
using ChorusFunctions.Security.Passwords;
using ChorusFunctions.Signup;
using CsCheck;
using Microsoft.AspNetCore.Http;

namespace ChorusFunctions.Tests.Security;

/// <summary>
/// Every request body of the API read from hostile bytes and content types: the reader never throws, and answers
/// either a value or a 400/413/415 problem — never anything a trigger would turn into a 5xx.
/// </summary>
public sealed class RequestBodyPropertyTests
{
    const int Iterations = 2_000;

    static readonly Gen<string?> ContentType = Gen.Frequency(
        (8, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf<string?>(null, "", "text/plain", "application/json; charset=utf-16", "application/problem+json", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "APPLICATION/JSON", "application/jsonp", "application/json;;;", "*/*", "application/\u0000json")),
        (1, AdversarialInput.Short.Select(s => (string?)s)));

    static readonly Gen<string> Structure = AdversarialInput.JsonObject("companyName", "label", "address", "addressComplement1", "addressComplement2", "postalCode", "city", "country");

    public static TheoryData<string> Bodies => ["signup", "details", "workspaces", "activation", "password-strength"];

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Any_body_is_read_as_a_value_or_a_4xx_problem(string body)
    {
        Gen<byte[]> bytes = body switch
        {
            "signup" => AdversarialInput.Body(AdversarialInput.JsonObject("loginEmail", "identifierType", "identifier")),
            "details" => AdversarialInput.Body(Gen.Select(AdversarialInput.JsonObject("loginEmailConfirmation", "lastName", "firstName", "contactEmail"), Structure, AdversarialInput.JsonObject("id", "answer"), AdversarialInput.JsonValue,
                (main, structure, captcha, feature) => main.TrimEnd('}') + (main.Length > 2 ? "," : "") + $"\"structure\":{structure},\"captcha\":{captcha},\"features\":{{\"paymentRequests\":{feature},\"dume\":false}}}}")),
            "workspaces" => AdversarialInput.Body(AdversarialInput.JsonValue.Array[0, 30].Select(values => $"{{\"workspaces\":[{string.Join(',', values)}]}}")),
            "activation" => AdversarialInput.Body(AdversarialInput.JsonObject("password", "passwordConfirmation", "secretQuestion", "secretAnswer")),
            _ => AdversarialInput.Body(AdversarialInput.JsonObject("password", "loginEmail", "lastName", "firstName")),
        };

        Gen.Select(bytes, ContentType, Gen.Bool).Sample((content, contentType, declareLength) =>
        {
            ApiProblem? problem = body switch
            {
                "signup" => Read<CreateSignupRequest>(content, contentType, declareLength),
                "details" => Read<SubmitDetailsRequest>(content, contentType, declareLength),
                "workspaces" => Read<SubmitWorkspacesRequest>(content, contentType, declareLength),
                "activation" => Read<ActivateAccountRequest>(content, contentType, declareLength),
                _ => Read<PasswordStrengthRequest>(content, contentType, declareLength),
            };
            if (problem is not null)
            {
                Assert.Contains(problem.Status, new[] { 400, 413, 415 });
                Assert.Contains(problem.Code, ErrorCodes.All.Keys);
                Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
            }

            if (content.Length > RequestReader.MaxBodyBytes && IsJson(contentType))
            {
                Assert.Equal(413, problem?.Status);
            }
        }, iter: Iterations);
    }

    static bool IsJson(string? contentType) => contentType is "application/json" or "application/problem+json" or "APPLICATION/JSON" or "application/json; charset=utf-16";

    static ApiProblem? Read<T>(byte[] content, string? contentType, bool declareLength)
        where T : class
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(content);
        if (declareLength)
        {
            context.Request.ContentLength = content.Length;
        }

        Outcome<T> outcome = RequestReader.ReadJsonAsync<T>(context.Request, CancellationToken.None).GetAwaiter().GetResult();
        Assert.True(outcome.Succeeded ^ outcome.Problem is not null);
        return outcome.Problem;
    }
}
