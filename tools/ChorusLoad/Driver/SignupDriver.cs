using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChorusFunctions.Testing;
using ChorusLoad.Mail;

namespace ChorusLoad.Driver;

/// <summary>One simulated person: a login email, a SIRET, an address of their own.</summary>
/// <param name="Racer">One of several people typing the same email at about the same time: a 409 is their expected answer.</param>
public sealed record SignupPlan(int Index, string Email, string Siret, string ClientAddress, bool Racer);

public enum SignupFate
{
    /// <summary>Step 4 answered: the account is active as far as the client knows.</summary>
    Active,

    /// <summary>A racer that lost the email to another racer (409 email_taken or 429 on its first attempt, or no account while another racer got it).</summary>
    LostRace,

    /// <summary>Step 1 never succeeded (refused, or no answer within the patience).</summary>
    NotStarted,

    /// <summary>Step 1 succeeded but a later step failed for good or ran out of patience.</summary>
    GaveUp,
}

/// <summary>What a step's request got after the retries it needed.</summary>
public sealed record StepAnswer(string Step, int Status, string? Code, string? CurrentStatus, JsonNode? Body, double FirstSentAt, double SentAt, double Latency, int Attempts);

/// <summary>An answer to a request sent again because the fate of an earlier attempt was unknown.</summary>
/// <param name="Wrong">409 email_taken, 410 or 404: the product forgot what the first attempt did.</param>
public sealed record RetryAnswer(int Signup, string Step, int Status, string? Code, bool Wrong);

public sealed class SignupResult(SignupPlan plan)
{
    public SignupPlan Plan { get; } = plan;

    public string? SignupId { get; set; }

    public SignupFate Fate { get; set; } = SignupFate.NotStarted;

    public string? Detail { get; set; }

    public double StartedAt { get; set; }

    public double FinishedAt { get; set; }

    /// <summary>Latency (s) of the answering attempt of each step: step1, step2, step3, activation.</summary>
    public Dictionary<string, double> Latency { get; } = [];

    /// <summary>Seconds from step 3's first send to the first activation link in the sink.</summary>
    public double? EmailDelay { get; set; }

    public int NewLinksAsked { get; set; }

    public int Retries { get; set; }
}

/// <summary>Driver-wide settings of the patient client.</summary>
public sealed record DriverSettings(
    TimeSpan EmailWait,
    int MaxNewLinks,
    TimeSpan StepPatience,
    TimeSpan RequestTimeout,
    bool RetryRateLimited);

/// <summary>Chooses the host a request goes to (one host, or several sharing a task hub, some of which may be down).</summary>
public interface IHostPicker
{
    Uri BaseFor(int client);
}

/// <summary>Counts shared by the clients, read by the killer and the progress line.</summary>
public sealed class LoadProgress
{
    int started, finished;

    public int Started => Volatile.Read(ref started);

    public int Finished => Volatile.Read(ref finished);

    public void Start() => Interlocked.Increment(ref started);

    public void Finish() => Interlocked.Increment(ref finished);

    /// <summary>How far the load is, in signups: half a signup for each one under way.</summary>
    public double Done => (Started + Finished) / 2.0;
}

/// <summary>
/// A whole signup as a patient person does it: steps 1 to 3, the activation link from the mailbox, step 4. A
/// connection error, a timeout or a 5xx is answered by waiting (1 s, backing off, bounded) and sending the same request
/// again; step 1 carries an <c>Idempotency-Key</c> reused on every retry; no email within the wait asks for a new link.
/// </summary>
public sealed class SignupDriver(HttpClient http, SmtpSink sink, IHostPicker hosts, DriverSettings settings, LoadProgress progress)
{
    // Free of the email's local part and of the names (the password screen refuses those).
    public const string Password = "Vt7#kQ2m!Lp9zX-Jardin";
    const string SecretQuestion = "Ville de naissance";
    const string SecretAnswer = "Corbeil";

    readonly List<RetryAnswer> retryAnswers = [];

    public IReadOnlyList<RetryAnswer> RetryAnswers
    {
        get
        {
            lock (retryAnswers)
            {
                return [.. retryAnswers];
            }
        }
    }

    public async Task<SignupResult> RunAsync(SignupPlan plan, CancellationToken cancellationToken)
    {
        var result = new SignupResult(plan) { StartedAt = Clock.Now };
        progress.Start();
        try
        {
            await RunStepsAsync(plan, result, cancellationToken);
        }
        finally
        {
            result.FinishedAt = Clock.Now;
            progress.Finish();
        }

        return result;
    }

    async Task RunStepsAsync(SignupPlan plan, SignupResult result, CancellationToken cancellationToken)
    {
        string idempotencyKey = Guid.NewGuid().ToString();
        var step1Body = new JsonObject { ["loginEmail"] = plan.Email, ["identifierType"] = "SIRET", ["identifier"] = plan.Siret };
        StepAnswer? step1 = await SendAsync(plan, result, "step1", HttpMethod.Post, "api/signups", step1Body, idempotencyKey, cancellationToken);
        if (step1 is not { Status: 201 })
        {
            result.Fate = plan.Racer && step1 is { Status: 409 or 429 } && step1.Attempts == 1 ? SignupFate.LostRace : SignupFate.NotStarted;
            result.Detail = Describe(step1);
            return;
        }

        string signupId = step1.Body?["signupId"]?.GetValue<string>() ?? throw new InvalidOperationException("201 without signupId");
        result.SignupId = signupId;
        result.Latency["step1"] = step1.Latency;

        var details = new JsonObject
        {
            ["loginEmailConfirmation"] = plan.Email,
            ["lastName"] = "Charge",
            ["firstName"] = "Client",
            ["structure"] = new JsonObject
            {
                ["companyName"] = $"STRUCTURE DE CHARGE {plan.Siret}",
                ["address"] = "1 RUE DE LA CHARGE",
                ["postalCode"] = "75001",
                ["city"] = "PARIS",
                ["country"] = "FR",
            },
            ["features"] = new JsonObject { ["paymentRequests"] = true, ["dume"] = false },
        };
        StepAnswer? step2 = await SendAsync(plan, result, "step2", HttpMethod.Put, $"api/signups/{signupId}/details", details, null, cancellationToken);
        if (!Applied(step2, 200, "AwaitingActivation", "Active"))
        {
            GiveUp(result, step2);
            return;
        }

        result.Latency["step2"] = step2!.Latency;
        var workspaces = new JsonObject { ["workspaces"] = new JsonArray("FACTURES_EMISES", "SOLLICITATIONS_EMISES") };
        StepAnswer? step3 = await SendAsync(plan, result, "step3", HttpMethod.Put, $"api/signups/{signupId}/workspaces", workspaces, null, cancellationToken);
        if (!Applied(step3, 202, "Active"))
        {
            GiveUp(result, step3);
            return;
        }

        result.Latency["step3"] = step3!.Latency;
        await ActivateAsync(plan, result, signupId, step3.FirstSentAt, cancellationToken);
    }

    async Task ActivateAsync(SignupPlan plan, SignupResult result, string signupId, double step3SentAt, CancellationToken cancellationToken)
    {
        var tried = new HashSet<string>(StringComparer.Ordinal);
        var activation = new JsonObject
        {
            ["password"] = Password,
            ["passwordConfirmation"] = Password,
            ["secretQuestion"] = SecretQuestion,
            ["secretAnswer"] = SecretAnswer,
        };
        while (true)
        {
            ReceivedMessage? link = await sink.WaitForNewLinkAsync(plan.Email, tried, settings.EmailWait, cancellationToken);
            if (link is null)
            {
                // A racer whose shared inbox got links, none of them working for it, lost the race after step 1 (a
                // product may hold the email only from a later step): it does not insist; SettleRaces tells after the load.
                bool outraced = plan.Racer && sink.MessagesTo(plan.Email).Any(m => m.ActivationToken is not null);
                if (result.NewLinksAsked >= settings.MaxNewLinks || outraced)
                {
                    result.Fate = SignupFate.GaveUp;
                    result.Detail = $"no activation link after {result.NewLinksAsked} new links";
                    return;
                }

                result.NewLinksAsked++;
                StepAnswer? resend = await SendAsync(plan, result, "newLink", HttpMethod.Post, $"api/signups/{signupId}/activation-email", null, null, cancellationToken);
                if (resend is null || resend.Status >= 400 && resend.Status != 429)
                {
                    // Maybe the signup is already active (an earlier link worked), maybe it is gone: the row says.
                    if (await StatusOfAsync(plan, signupId, cancellationToken) == "Active")
                    {
                        result.Fate = SignupFate.Active;
                        return;
                    }

                    GiveUp(result, resend);
                    return;
                }

                continue;
            }

            result.EmailDelay ??= link.ArrivedAt - step3SentAt;
            tried.Add(link.ActivationToken!);
            StepAnswer? answer = await SendAsync(plan, result, "activation", HttpMethod.Post, $"api/activations/{Uri.EscapeDataString(link.ActivationToken!)}", activation, null, cancellationToken);
            if (answer is { Status: 200 })
            {
                result.Latency["activation"] = answer.Latency;
                result.Fate = SignupFate.Active;
                return;
            }

            if (answer is { Status: 410 })
            {
                // A link replaced by a newer one (or consumed by an attempt whose answer was lost): the row says which.
                if (await StatusOfAsync(plan, signupId, cancellationToken) == "Active")
                {
                    result.Fate = SignupFate.Active;
                    return;
                }

                continue;
            }

            GiveUp(result, answer);
            return;
        }
    }

    async Task<string?> StatusOfAsync(SignupPlan plan, string signupId, CancellationToken cancellationToken)
    {
        var result = new SignupResult(plan);
        StepAnswer? answer = await SendAsync(plan, result, "status", HttpMethod.Get, $"api/signups/{signupId}", null, null, cancellationToken);
        return answer is { Status: 200 } ? answer.Body?["status"]?.GetValue<string>() : null;
    }

    /// <summary>The expected success, or a 409 step_out_of_order saying the signup is already past this step.</summary>
    static bool Applied(StepAnswer? answer, int success, params string[] laterStatuses) =>
        answer is not null && (answer.Status == success || answer is { Status: 409, Code: "step_out_of_order" } && laterStatuses.Contains(answer.CurrentStatus));

    static void GiveUp(SignupResult result, StepAnswer? answer)
    {
        result.Fate = SignupFate.GaveUp;
        result.Detail = Describe(answer);
    }

    static string Describe(StepAnswer? answer) =>
        answer is null ? "no answer within the patience" : $"{answer.Step}: {answer.Status} {answer.Code}";

    /// <summary>
    /// Sends one request until it gets an answer that is not a connection error, a timeout or a 5xx (or a 429, which is
    /// waited out when allowed); null when the step's patience ran out first.
    /// </summary>
    async Task<StepAnswer?> SendAsync(SignupPlan plan, SignupResult result, string step, HttpMethod method, string path, JsonObject? body,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        string? json = body?.ToJsonString();
        double firstSentAt = Clock.Now;
        DateTime giveUpAt = DateTime.UtcNow + settings.StepPatience;
        TimeSpan backoff = TimeSpan.FromSeconds(1);
        bool unknownFate = false;
        for (int attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(hosts.BaseFor(plan.Index), path));
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", plan.ClientAddress);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            double sentAt = Clock.Now;
            TimeSpan wait = backoff;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.RequestTimeout);
                using HttpResponseMessage response = await http.SendAsync(request, timeout.Token);
                string text = await response.Content.ReadAsStringAsync(timeout.Token);
                double latency = Clock.Now - sentAt;
                int status = (int)response.StatusCode;
                JsonNode? parsed = Parse(text);
                string? code = parsed?["code"]?.GetValue<string>();
                if (unknownFate)
                {
                    bool wrong = status is 404 or 410 || status == 409 && code == "email_taken";
                    lock (retryAnswers)
                    {
                        retryAnswers.Add(new RetryAnswer(plan.Index, step, status, code, wrong));
                    }
                }

                if (status < 500 && (status != 429 || !settings.RetryRateLimited))
                {
                    return new StepAnswer(step, status, code, parsed?["currentStatus"]?.GetValue<string>(), parsed, firstSentAt, sentAt, latency, attempt);
                }

                if (status == 429)
                {
                    // A refusal, not an unknown fate: the same request is sent again once the client may.
                    wait = RetryAfter(response) ?? backoff;
                }
                else
                {
                    unknownFate = true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
            {
                unknownFate = true;
            }

            if (DateTime.UtcNow + wait > giveUpAt)
            {
                return null;
            }

            result.Retries++;
            await Task.Delay(wait, cancellationToken);
            backoff = TimeSpan.FromSeconds(Math.Min(backoff.TotalSeconds * 1.5, 5));
        }
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta ? delta + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 500)) : null;

    static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject node ? node : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Racers on one email that did not get an account lost the race, whatever step told them, once one of them got
    /// the account; the invariants still ask for exactly one active account for that email.
    /// </summary>
    public static void SettleRaces(IReadOnlyList<SignupResult> results)
    {
        foreach (IGrouping<string, SignupResult> race in results.Where(r => r.Plan.Racer).GroupBy(r => r.Plan.Email, StringComparer.OrdinalIgnoreCase))
        {
            if (race.Any(r => r.Fate == SignupFate.Active))
            {
                foreach (SignupResult loser in race.Where(r => r.Fate == SignupFate.GaveUp))
                {
                    loser.Fate = SignupFate.LostRace;
                }
            }
        }
    }

    /// <summary>Keeps each signup's cookie, as its browser would: GET, PUT and new links need it.</summary>
    public static HttpClient NewHttpClient() => new(new SignupCookieJar(new SocketsHttpHandler
    {
        // Connections die with each killed host; a short lifetime keeps the pool from holding dead ones.
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        MaxConnectionsPerServer = 256,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    }))
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
