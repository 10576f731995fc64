using Azure.Core;
using Azure.Core.Pipeline;

namespace ChorusFunctions.Email;

/// <summary>ACS Email over REST (no SDK in the reachable registry): emails:send under an Operation-Id from the idempotency key, then follow it (unless the message needs no verdict).</summary>
public sealed partial class AcsEmailSender : IEmailSender
{
    public const string ApiVersion = "2023-03-31";
    public const string Scope = "https://communication.azure.com/.default";

    readonly HttpPipeline pipeline;
    readonly Uri endpoint;
    readonly EmailOptions settings;
    readonly TimeProvider time;
    readonly ILogger logger;

    /// <param name="credential">Entra ID (managed identity); null when <c>Email__Acs__AccessKey</c> signs instead.</param>
    public AcsEmailSender(IOptions<EmailOptions> options, TokenCredential? credential, TimeProvider time, ILogger<AcsEmailSender> logger)
        : this(options.Value, credential, time, logger, transport: null)
    {
    }

    internal AcsEmailSender(EmailOptions settings, TokenCredential? credential, TimeProvider time, ILogger logger, HttpPipelineTransport? transport)
    {
        this.settings = settings;
        this.time = time;
        this.logger = logger;
        endpoint = new Uri(settings.Acs.Endpoint ?? throw new InvalidOperationException("Email__Acs__Endpoint is not set."));

        // Throttling and polling are handled here, where Retry-After and the attempt budget are ours to honour;
        // the pipeline's own retries would hide them. Other failures go back to the orchestration's retry policy.
        var clientOptions = new AcsClientOptions
        {
            Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(30) },
            Diagnostics = { ApplicationId = EmailComposer.PortalName, IsLoggingContentEnabled = false }, // bodies carry activation links
        };
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        HttpPipelinePolicy authentication = !string.IsNullOrEmpty(settings.Acs.AccessKey)
            ? new AcsHmacAuthenticationPolicy(settings.Acs.AccessKey, time)
            : new BearerTokenAuthenticationPolicy(
                credential ?? throw new InvalidOperationException("ACS needs Email__Acs__AccessKey or a managed identity."), Scope);
        pipeline = HttpPipelineBuilder.Build(clientOptions, [], [authentication], new ResponseClassifier());
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Guid operationId = OperationIds.ForEmail(message.IdempotencyKey);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new AcsSendRequest(
            settings.SenderAddress,
            new AcsRecipients([new AcsAddress(message.To, string.IsNullOrWhiteSpace(message.ToName) ? null : message.ToName)]),
            new AcsContent(message.Subject, message.PlainText, message.Html),
            string.IsNullOrWhiteSpace(settings.ReplyTo) ? null : [new AcsAddress(settings.ReplyTo, null)],
            UserEngagementTrackingDisabled: true), AcsJsonContext.Default.AcsSendRequest);
        AcsReply accepted = await ExchangeWithBackoffAsync(RequestMethod.Post, Url("/emails:send"), "send", cancellationToken, request =>
        {
            request.Headers.SetValue("Operation-Id", operationId.ToString("D"));
            request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
            request.Content = RequestContent.Create(body);
        });

        if (accepted.Status is (202 or 409) && !message.FollowDelivery)
        {
            LogHandedOver(message.IdempotencyKey, operationId);
        }
        else if (accepted.Status == 409)
        {
            // An operation with this id exists: an earlier attempt of this very send reached the service. Follow it
            // rather than failing a send that may well have succeeded.
            LogAlreadySubmitted(message.IdempotencyKey, operationId);
            await FollowAsync(StatusUrl(null, operationId), TimeSpan.Zero, message, operationId, cancellationToken);
        }
        else if (accepted.Status != 202)
        {
            throw Failure(accepted, "send");
        }
        else if (!IsFinished(accepted, message, operationId))
        {
            await FollowAsync(StatusUrl(accepted.OperationLocation, operationId), accepted.RetryAfter ?? TimeSpan.FromSeconds(1),
                message, operationId, cancellationToken);
        }
    }

    async Task FollowAsync(Uri statusUrl, TimeSpan wait, EmailMessage message, Guid operationId, CancellationToken cancellationToken)
    {
        DateTimeOffset giveUpAt = time.GetUtcNow() + settings.Acs.PollTimeout;
        while (true)
        {
            await Task.Delay(Cap(wait), time, cancellationToken);
            AcsReply status = await ExchangeWithBackoffAsync(RequestMethod.Get, statusUrl, "status", cancellationToken);
            if (status.Status != 200)
            {
                throw Failure(status, "status");
            }

            if (IsFinished(status, message, operationId))
            {
                return;
            }

            wait = status.RetryAfter ?? TimeSpan.FromSeconds(1);
            if (time.GetUtcNow() + Cap(wait) > giveUpAt)
            {
                throw new TransientEmailFailureException(
                    $"ACS operation {operationId} was still {status.OperationStatus} after {settings.Acs.PollTimeout}; the retried send will follow it again.");
            }

            LogPolling(message.IdempotencyKey, operationId, status.OperationStatus ?? "?");
        }
    }

    /// <summary>True when the operation succeeded; throws when it failed; false while it runs.</summary>
    bool IsFinished(AcsReply reply, EmailMessage message, Guid operationId)
    {
        switch (reply.OperationStatus)
        {
            case "Succeeded":
                LogSent(message.IdempotencyKey, operationId);
                return true;
            case "Failed" or "Canceled":
                LogFailed(message.IdempotencyKey, operationId, reply.OperationStatus, reply.ErrorCode ?? "");
                // The operation is final: sending again with the same Operation-Id gets the same answer.
                throw new PermanentEmailFailureException(
                    $"ACS operation {operationId} ended {reply.OperationStatus}: {reply.ErrorCode} {reply.ErrorMessage}".TrimEnd());
            default:
                return false;
        }
    }

    /// <summary>One request, sent again after the wait the service asks for when it answers 429 or 503.</summary>
    async Task<AcsReply> ExchangeWithBackoffAsync(RequestMethod method, Uri url, string what, CancellationToken cancellationToken, Action<Request>? prepare = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            AcsReply reply;
            using (HttpMessage http = pipeline.CreateMessage())
            {
                http.Request.Method = method;
                http.Request.Uri.Reset(url);
                prepare?.Invoke(http.Request);
                await pipeline.SendAsync(http, cancellationToken);
                reply = AcsReply.From(http.Response, time);
            }

            if (reply.Status is not (429 or 503))
            {
                return reply;
            }

            if (attempt >= settings.Acs.MaxAttempts)
            {
                throw new TransientEmailFailureException(
                    $"ACS {what} still answered {reply.Status} after {attempt} attempts; the orchestration will retry later.");
            }

            // Without a Retry-After, back off exponentially (1 s, 2 s, 4 s…).
            TimeSpan wait = Cap(reply.RetryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)));
            LogThrottled(what, reply.Status, wait, attempt);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    TimeSpan Cap(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > settings.Acs.MaxRetryAfter ? settings.Acs.MaxRetryAfter : wait;

    /// <summary>Operation-Location only on the configured host: a credential never goes to a host the configuration did not name.</summary>
    Uri StatusUrl(string? operationLocation, Guid operationId) =>
        operationLocation is not null && Uri.TryCreate(endpoint, operationLocation, out Uri? location)
            && Uri.Compare(location, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? location
            : Url($"/emails/operations/{operationId:D}");

    Uri Url(string path)
    {
        var builder = new RequestUriBuilder();
        builder.Reset(endpoint);
        builder.AppendPath(path, escape: false);
        builder.AppendQuery("api-version", ApiVersion);
        return builder.ToUri();
    }

    /// <summary>4xx (but 429) will not get better by retrying; anything else may.</summary>
    static Exception Failure(AcsReply reply, string what)
    {
        string detail = $"ACS {what} answered {reply.Status} {reply.ErrorCode} {reply.ErrorMessage}".TrimEnd();
        return reply.Status is >= 400 and < 500 and not 429 and not 408
            ? new PermanentEmailFailureException(detail)
            : new TransientEmailFailureException(detail);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {IdempotencyKey} accepted by Azure Communication Services (operation {OperationId})")]
    partial void LogSent(string idempotencyKey, Guid operationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {IdempotencyKey}: ACS operation {OperationId} ended {Status} ({ErrorCode})")]
    partial void LogFailed(string idempotencyKey, Guid operationId, string status, string errorCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {IdempotencyKey} handed over to Azure Communication Services (operation {OperationId}), not followed")]
    partial void LogHandedOver(string idempotencyKey, Guid operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {IdempotencyKey}: ACS operation {OperationId} already submitted, following it")]
    partial void LogAlreadySubmitted(string idempotencyKey, Guid operationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email {IdempotencyKey}: ACS operation {OperationId} is {Status}")]
    partial void LogPolling(string idempotencyKey, Guid operationId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACS {What} answered {Status}; attempt {Attempt} again in {Wait}")]
    partial void LogThrottled(string what, int status, TimeSpan wait, int attempt);

    sealed class AcsClientOptions : ClientOptions;

    /// <summary>What this class needs from one response, read before the response is disposed.</summary>
    sealed record AcsReply(int Status, TimeSpan? RetryAfter, string? OperationLocation, string? OperationStatus, string? ErrorCode, string? ErrorMessage)
    {
        public static AcsReply From(Response response, TimeProvider time)
        {
            string? operationStatus = null, errorCode = null, errorMessage = null;
            try
            {
                using JsonDocument json = JsonDocument.Parse(response.Content.ToMemory());
                JsonElement error = Member(json.RootElement, "error");
                (operationStatus, errorCode, errorMessage) = (Text(Member(json.RootElement, "status")), Text(Member(error, "code")), Text(Member(error, "message")));
            }
            catch (JsonException)
            {
                // An empty body, or one that is not JSON (a proxy's error page), leaves the status code to speak.
            }

            response.Headers.TryGetValue("Operation-Location", out string? location);
            return new AcsReply(response.Status, RetryAfterOf(response, time), location, operationStatus, errorCode, errorMessage);
        }

        static JsonElement Member(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : default;

        static string? Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

        /// <summary><c>retry-after-ms</c> / <c>x-ms-retry-after-ms</c> (Azure), else <c>Retry-After</c> in seconds or as a date.</summary>
        static TimeSpan? RetryAfterOf(Response response, TimeProvider time)
        {
            foreach (string header in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
            {
                if (response.Headers.TryGetValue(header, out string? ms)
                    && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
                {
                    return TimeSpan.FromMilliseconds(milliseconds);
                }
            }

            return !response.Headers.TryGetValue("Retry-After", out string? retryAfter) ? null
                : int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) ? TimeSpan.FromSeconds(seconds)
                : DateTimeOffset.TryParseExact(retryAfter, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
                    ? TimeSpan.FromTicks(Math.Max(0, (at - time.GetUtcNow()).Ticks))
                    : null;
        }
    }
}

internal sealed record AcsSendRequest(
    string SenderAddress,
    AcsRecipients Recipients,
    AcsContent Content,
    IReadOnlyList<AcsAddress>? ReplyTo,
    bool UserEngagementTrackingDisabled);

internal sealed record AcsRecipients(IReadOnlyList<AcsAddress> To);

internal sealed record AcsAddress(string Address, string? DisplayName);

internal sealed record AcsContent(string Subject, string PlainText, string Html);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AcsSendRequest))]
internal sealed partial class AcsJsonContext : JsonSerializerContext;
