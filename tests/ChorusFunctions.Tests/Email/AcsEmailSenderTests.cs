using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using ChorusFunctions.Email;
using Microsoft.Extensions.Logging.Abstractions;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.Server;
using MockResponse = WireMock.ResponseBuilders.Response;

namespace ChorusFunctions.Tests.Email;

public sealed class AcsEmailSenderTests : IDisposable
{
    /// <summary>base64("chorusfunctions-test-access-key-0123456789abcdef").</summary>
    const string AccessKey = "Y2hvcnVzZnVuY3Rpb25zLXRlc3QtYWNjZXNzLWtleS0wMTIzNDU2Nzg5YWJjZGVm";

    /// <summary>UUID v5 of "signup-42:activation:1" in <see cref="OperationIds.EmailNamespace"/>, computed with Python's uuid.uuid5.</summary>
    const string ExpectedOperationId = "d30dd6d2-910c-591f-8c73-9c4f17ca7fb5";

    static readonly DateTimeOffset Now = new(2026, 3, 16, 9, 0, 0, TimeSpan.Zero);

    static readonly EmailMessage Message = new()
    {
        To = "marie.curie@example.fr",
        ToName = "Marie Curie",
        Subject = "Activez votre compte ChorusFunctions",
        PlainText = "Bonjour Marie,\nvoici votre lien : https://portail.example.fr/activation?token=abc\n",
        Html = "<p>Bonjour Marie, <a href=\"https://portail.example.fr/activation?token=abc\">activer</a> — é</p>",
        IdempotencyKey = "signup-42:activation:1",
    };

    readonly WireMockServer server = FakeAcs.Start();
    readonly ManualTime time = new(Now);

    public void Dispose() => server.Stop();

    AcsEmailSender Sender(Action<EmailOptions>? configure = null, FakeCredential? credential = null, HttpPipelineTransport? transport = null, WireMockServer? acs = null)
    {
        var options = new EmailOptions
        {
            SenderAddress = "ne-pas-repondre@example.fr",
            Acs = { Endpoint = (acs ?? server).Url, AccessKey = credential is null ? AccessKey : null },
        };
        configure?.Invoke(options);
        return new AcsEmailSender(options, credential, time, NullLogger.Instance, transport);
    }

    string OperationUrl(string id) => $"{server.Url}/emails/operations/{id}?api-version=2023-03-31";

    void AcceptSend(string operationId = ExpectedOperationId, string retryAfter = "3") =>
        server.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(MockResponse.Create().WithStatusCode(202)
                .WithHeader("Operation-Location", OperationUrl(operationId))
                .WithHeader("Retry-After", retryAfter)
                .WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"id":"{{operationId}}","status":"Running"}"""));

    /// <summary>An answer to the status poll; <paramref name="scenarioState"/> null for the first one.</summary>
    void Status(string status, string? scenarioState, string? nextState, string retryAfter = "2", string operationId = ExpectedOperationId, string error = "")
    {
        var mapping = server.Given(Request.Create().WithPath($"/emails/operations/{operationId}").UsingGet());
        if (scenarioState is not null || nextState is not null)
        {
            // Only a sequence of answers is a scenario; a lone answer stays a plain mapping.
            mapping = mapping.InScenario("poll");
        }

        if (scenarioState is not null)
        {
            mapping = mapping.WhenStateIs(scenarioState);
        }

        if (nextState is not null)
        {
            mapping = mapping.WillSetStateTo(nextState);
        }

        mapping.RespondWith(MockResponse.Create().WithStatusCode(200)
            .WithHeader("Retry-After", retryAfter)
            .WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"id":"{{operationId}}","status":"{{status}}"{{error}} }"""));
    }

    [Fact]
    public async Task Sends_the_documented_request_signed_with_the_access_key_and_polls_until_succeeded()
    {
        AcceptSend();
        Status("Running", null, "running");
        Status("Succeeded", "running", null);

        await Sender(o => o.ReplyTo = "support@example.fr").SendAsync(Message, CancellationToken.None);

        IReadOnlyList<IRequestMessage> requests = server.Requests();
        Assert.Equal(["POST", "GET", "GET"], requests.Select(r => r.Method));
        IRequestMessage send = requests[0];
        Assert.Equal("/emails:send", send.Path);
        Assert.Equal("?api-version=2023-03-31", send.RawQuery);
        Assert.Equal(ExpectedOperationId, send.Header("Operation-Id"));
        Assert.StartsWith("application/json", send.Header("Content-Type"), StringComparison.Ordinal);

        var expected = JsonNode.Parse("""
            {
              "senderAddress": "ne-pas-repondre@example.fr",
              "recipients": { "to": [ { "address": "marie.curie@example.fr", "displayName": "Marie Curie" } ] },
              "content": {
                "subject": "Activez votre compte ChorusFunctions",
                "plainText": "Bonjour Marie,\nvoici votre lien : https://portail.example.fr/activation?token=abc\n",
                "html": "<p>Bonjour Marie, <a href=\"https://portail.example.fr/activation?token=abc\">activer</a> — é</p>"
              },
              "replyTo": [ { "address": "support@example.fr" } ],
              "userEngagementTrackingDisabled": true
            }
            """);
        byte[] body = send.BodyAsBytes!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(body)), Encoding.UTF8.GetString(body));

        // Access-key signature, recomputed here from what the server received.
        Assert.Equal("Mon, 16 Mar 2026 09:00:00 GMT", send.Header("x-ms-date"));
        string contentHash = Convert.ToBase64String(SHA256.HashData(body));
        Assert.Equal(contentHash, send.Header("x-ms-content-sha256"));
        Assert.Equal(ExpectedAuthorization(send, contentHash), send.Header("Authorization"));
        // Polls are signed too (empty body) and follow Operation-Location.
        Assert.All(requests.Skip(1), poll =>
        {
            Assert.Equal($"/emails/operations/{ExpectedOperationId}", poll.Path);
            Assert.Equal(ExpectedAuthorization(poll, Convert.ToBase64String(SHA256.HashData([]))), poll.Header("Authorization"));
        });
        // Each poll waited what the previous answer's Retry-After asked.
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)], time.Waits);
    }

    [Fact]
    public void Hmac_signature_matches_a_fixed_vector()
    {
        // Computed independently with openssl:
        //   printf '%s' "$BODY" | openssl dgst -sha256 -binary | base64
        //   printf 'POST\n/emails:send?api-version=2023-03-31\nMon, 16 Mar 2026 09:00:00 GMT;contoso.france.communication.azure.com;%s' "$HASH" \
        //     | openssl dgst -sha256 -mac HMAC -macopt hexkey:<hex of the key> -binary | base64
        const string Body = """{"senderAddress":"ne-pas-repondre@example.fr"}""";
        Assert.Equal("GLLfrsjpowxRtp6srec1ySDLQcyZ2AH7sXu9Nn0JzqU=", Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Body))));

        string signature = AcsHmacAuthenticationPolicy.Sign(
            Convert.FromBase64String(AccessKey), "POST", "/emails:send?api-version=2023-03-31", "Mon, 16 Mar 2026 09:00:00 GMT",
            "contoso.france.communication.azure.com", "GLLfrsjpowxRtp6srec1ySDLQcyZ2AH7sXu9Nn0JzqU=");

        Assert.Equal("m/H06NWVeRrvYUOBCAt6RL56XlZ2kImsZIbnhrQpv8Q=", signature);
    }

    [Fact]
    public async Task Throttling_is_honoured_with_the_service_retry_after_and_the_same_operation_id()
    {
        server.Given(Request.Create().WithPath("/emails:send").UsingPost()).InScenario("throttle").WillSetStateTo("one")
            .RespondWith(MockResponse.Create().WithStatusCode(429).WithHeader("Retry-After", "5"));
        server.Given(Request.Create().WithPath("/emails:send").UsingPost()).InScenario("throttle").WhenStateIs("one").WillSetStateTo("two")
            .RespondWith(MockResponse.Create().WithStatusCode(503).WithHeader("retry-after-ms", "1500"));
        server.Given(Request.Create().WithPath("/emails:send").UsingPost()).InScenario("throttle").WhenStateIs("two")
            .RespondWith(MockResponse.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"id":"{{ExpectedOperationId}}","status":"Succeeded"}"""));

        await Sender().SendAsync(Message, CancellationToken.None);

        IReadOnlyList<IRequestMessage> requests = server.Requests();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(ExpectedOperationId, r.Header("Operation-Id")));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1500)], time.Waits);
        // Each attempt is signed afresh, with its own date.
        Assert.Equal(["Mon, 16 Mar 2026 09:00:00 GMT", "Mon, 16 Mar 2026 09:00:05 GMT", "Mon, 16 Mar 2026 09:00:06 GMT"], requests.Select(r => r.Header("x-ms-date")));
        Assert.All(requests, r => Assert.Equal(ExpectedAuthorization(r, Convert.ToBase64String(SHA256.HashData(r.BodyAsBytes!))), r.Header("Authorization")));
    }

    [Fact]
    public async Task Throttling_that_lasts_ends_in_a_retryable_failure_after_the_attempt_budget()
    {
        server.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(MockResponse.Create().WithStatusCode(429).WithHeader("Retry-After", "3600"));

        var error = await Assert.ThrowsAsync<TransientEmailFailureException>(
            () => Sender(o => o.Acs.MaxAttempts = 3).SendAsync(Message, CancellationToken.None));

        Assert.Contains("429", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests().Count);
        // An hour-long Retry-After is cut to Email__Acs__MaxRetryAfter (1 minute by default).
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)], time.Waits);
    }

    [Theory]
    [InlineData(400, "InvalidSenderAddress")]
    [InlineData(401, "Unauthorized")]
    [InlineData(403, "Forbidden")]
    [InlineData(422, "InvalidRecipient")]
    public async Task A_client_error_is_a_permanent_failure_sent_once(int status, string code)
    {
        server.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(MockResponse.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"error":{"code":"{{code}}","message":"Refused by the fake."} }"""));

        var error = await Assert.ThrowsAsync<PermanentEmailFailureException>(() => Sender().SendAsync(Message, CancellationToken.None));

        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests());
        Assert.Empty(time.Waits);
    }

    [Fact]
    public async Task A_failed_operation_is_a_permanent_failure()
    {
        AcceptSend(retryAfter: "1");
        Status("Failed", null, null, error: ""","error":{"code":"EmailDroppedAllRecipientsSuppressed","message":"suppressed"}""");

        var error = await Assert.ThrowsAsync<PermanentEmailFailureException>(() => Sender().SendAsync(Message, CancellationToken.None));

        Assert.Contains("Failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("EmailDroppedAllRecipientsSuppressed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_is_retryable_and_the_retry_reuses_the_operation_id()
    {
        server.Given(Request.Create().WithPath("/emails:send").UsingPost()).InScenario("retry").WillSetStateTo("recovered")
            .RespondWith(MockResponse.Create().WithStatusCode(500));
        server.Given(Request.Create().WithPath("/emails:send").UsingPost()).InScenario("retry").WhenStateIs("recovered")
            .RespondWith(MockResponse.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"id":"{{ExpectedOperationId}}","status":"Succeeded"}"""));

        // The activity fails, the orchestration retries it: a new sender (another worker) sends the same message again.
        await Assert.ThrowsAsync<TransientEmailFailureException>(() => Sender().SendAsync(Message, CancellationToken.None));
        await Sender().SendAsync(Message, CancellationToken.None);

        Assert.Equal([ExpectedOperationId, ExpectedOperationId], server.Requests().Select(r => r.Header("Operation-Id")));
    }

    [Fact]
    public void Operation_ids_are_name_based_uuids_stable_across_processes()
    {
        // RFC 9562 version 5 test vector (DNS namespace, "python.org"), as Python's uuid.uuid5 gives it.
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), OperationIds.NameBased(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));
        Assert.Equal(new Guid(ExpectedOperationId), OperationIds.ForEmail("signup-42:activation:1"));
        Assert.NotEqual(OperationIds.ForEmail("signup-42:activation:1"), OperationIds.ForEmail("signup-42:activation:2"));
    }

    [Fact]
    public async Task An_operation_id_already_known_to_the_service_is_followed_not_failed()
    {
        server.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(MockResponse.Create().WithStatusCode(409).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":{"code":"Conflict","message":"Operation already exists."}}"""));
        Status("Succeeded", null, null);

        await Sender().SendAsync(Message, CancellationToken.None);

        Assert.Equal(["/emails:send", $"/emails/operations/{ExpectedOperationId}"], server.Requests().Select(r => r.Path));
    }

    [Fact]
    public async Task A_message_that_needs_no_verdict_is_handed_over_and_not_followed_even_when_already_submitted()
    {
        AcceptSend();
        Status("Failed", null, null); // never asked for

        await Sender().SendAsync(Message with { FollowDelivery = false }, CancellationToken.None);

        Assert.Equal(["/emails:send"], server.Requests().Select(r => r.Path));
        Assert.Empty(time.Waits);

        server.Reset();
        server.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(MockResponse.Create().WithStatusCode(409).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":{"code":"Conflict","message":"Operation already exists."}}"""));
        await Sender().SendAsync(Message with { FollowDelivery = false }, CancellationToken.None);
        Assert.Equal(["/emails:send"], server.Requests().Select(r => r.Path));
    }

    [Fact]
    public async Task An_operation_still_running_past_the_poll_timeout_is_retryable()
    {
        AcceptSend(retryAfter: "30");
        Status("Running", null, null, retryAfter: "30");

        var error = await Assert.ThrowsAsync<TransientEmailFailureException>(
            () => Sender(o => o.Acs.PollTimeout = TimeSpan.FromMinutes(1)).SendAsync(Message, CancellationToken.None));

        Assert.Contains("Running", error.Message, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)], time.Waits);
    }

    [Fact]
    public async Task An_operation_location_on_another_host_is_not_followed_with_our_credentials()
    {
        server.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(MockResponse.Create().WithStatusCode(202)
                .WithHeader("Operation-Location", $"http://elsewhere.example/emails/operations/{ExpectedOperationId}?api-version=2023-03-31")
                .WithHeader("Retry-After", "0")
                .WithBody($$"""{"id":"{{ExpectedOperationId}}","status":"Running"}"""));
        Status("Succeeded", null, null);

        await Sender().SendAsync(Message, CancellationToken.None);

        Assert.Equal(["/emails:send", $"/emails/operations/{ExpectedOperationId}"], server.Requests().Select(r => r.Path));
    }

    [Fact]
    public async Task Without_an_access_key_the_managed_identity_token_is_sent()
    {
        // Bearer tokens only travel over TLS (Azure.Core refuses otherwise): a fake on https with its own certificate.
        using WireMockServer tls = FakeAcs.Start(https: true);
        tls.Given(Request.Create().WithPath("/emails:send").UsingPost())
            .RespondWith(MockResponse.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"id":"{{ExpectedOperationId}}","status":"Succeeded"}"""));
        var credential = new FakeCredential();
#pragma warning disable CA5400, CA2000 // a test fake's self-signed certificate on 127.0.0.1; the transport owns the handler
        var transport = new HttpClientTransport(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
#pragma warning restore CA5400, CA2000

        await Sender(credential: credential, transport: transport, acs: tls).SendAsync(Message, CancellationToken.None);

        IRequestMessage send = Assert.Single(tls.Requests());
        Assert.Equal("Bearer fake-entra-token", send.Header("Authorization"));
        Assert.Null(send.Header("x-ms-content-sha256"));
        Assert.Equal(["https://communication.azure.com/.default"], credential.Scopes.Distinct());
    }

    /// <summary>The documented scheme, written out here independently of the sender's policy.</summary>
    static string ExpectedAuthorization(IRequestMessage request, string contentHash)
    {
        var url = new Uri(request.AbsoluteUrl);
        string stringToSign = string.Create(CultureInfo.InvariantCulture,
            $"{request.Method}\n{url.PathAndQuery}\n{request.Header("x-ms-date")};{request.Header("Host")};{contentHash}");
        using var hmac = new HMACSHA256(Convert.FromBase64String(AccessKey));
        string signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        return $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}";
    }
}
