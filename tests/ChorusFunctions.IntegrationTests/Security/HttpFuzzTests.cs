using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ChorusFunctions.Http;
using ChorusFunctions.LocalHost.Functions;
using ChorusFunctions.Security;
using ChorusFunctions.Security.RateLimits;
using ChorusFunctions.Storage;
using ChorusFunctions.Testing;
using Xunit.Abstractions;

namespace ChorusFunctions.IntegrationTests.Security;

/// <summary>
/// Sends mutated requests to every HTTP function of the local host: malformed JSON, huge and deeply nested values,
/// control characters and invalid UTF-8, wrong types, OData-filter-looking and quote characters in route values and
/// keys, path traversal, wrong methods and content types. Never a 5xx, always problem+json for an error, and the
/// tables afterwards hold nothing but what accepted requests wrote. The default run sends 1,500 requests; set
/// <c>CHORUS_FUZZ_REQUESTS</c> (e.g. 10000) for the long run and <c>CHORUS_FUZZ_SEED</c> to replay one.
/// </summary>
[Collection(HttpFuzzCollection.Name)]
public sealed partial class HttpFuzzTests(ITestOutputHelper output)
{
    const int DefaultRequests = 1_500;

    static readonly string[] NastyRouteValues =
    [
        "' or 1 eq 1 or '", "PartitionKey eq 'x'", "x' or PartitionKey ne '", "') or true or ('", "$filter=PartitionKey gt ''",
        "'", "''", "\"", "%27", "%22", "%2527", "..", "../..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "..\\..\\windows", "%5C",
        "%00", "%0d%0a", "%C3%28", "%ED%A0%80", "%FF%FE", "%F0%9F%98%80", "%E2%80%AE", "\u00e9", "\u202e", "%20", "+", "*", "~", "!",
        "null", "undefined", "-1", "0", "1e309", "[]", "{}", "<script>", "${jndi:x}", "{{7*7}}",
        "00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff", "0123456789ABCDEF0123456789ABCDEF",
        "SIRET", "siret", "HORS_UE", "UE_HORS_FRANCE", "44306184100047", "443 061 841 00047", "FR03552081317",
    ];

    static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/jsonp", "application/octet-stream", "*/*", "application/json;;", "APPLICATION/JSON", "application/problem+json",
    ];

    static readonly string[] WrongMethods = ["DELETE", "PATCH", "OPTIONS", "TRACE", "PUT", "POST", "GET", "HEAD", "PROPFIND"];

    sealed record Endpoint(string Method, string Route);

    sealed class Counts
    {
        public readonly ConcurrentDictionary<int, int> ByStatus = new();
        public readonly ConcurrentDictionary<string, int> ByMutation = new();
        public readonly ConcurrentQueue<string> Failures = new();
        public int Sent;
    }

    [Fact]
    public async Task Mutated_requests_never_get_a_5xx_always_a_problem_and_write_nothing_unaccepted()
    {
        int requests = int.TryParse(Environment.GetEnvironmentVariable("CHORUS_FUZZ_REQUESTS"), out int n) && n > 0 ? n : DefaultRequests;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("CHORUS_FUZZ_SEED"), out int s) ? s : Random.Shared.Next();
        output.WriteLine($"HTTP fuzz: {requests} requests, seed {seed} (CHORUS_FUZZ_SEED={seed} replays it)");

        var settings = new Dictionary<string, string?>
        {
            ["RateLimits:Distributed"] = "true",
            ["Lockout:MaxUnknownTokens"] = "1000000",
            ["Lockout:MaxFailedActivations"] = "1000000",
        };
        foreach (RatePolicy policy in Enum.GetValues<RatePolicy>())
        {
            settings[$"RateLimits:{policy}:PermitLimit"] = "1000000";
        }

        await using LocalStack stack = await SecurityStack.StartAsync(settings);
        var api = new ApiClient(stack);

        // Legitimate requests first: signups at each step, so that mutated bodies reach the validators behind real ids.
        var accepted = new ConcurrentDictionary<string, byte>();
        var captchas = new ConcurrentDictionary<string, byte>();
        var ids = new List<string>();
        var tokens = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            string email = SecurityStack.Email("fuzzbase");
            ApiClient.Response started = await api.StartAsync(email);
            string id = started.Text("signupId");
            accepted[id] = 0;
            ids.Add(id);
            if (i >= 1)
            {
                Assert.Equal(HttpStatusCode.OK, (await api.DetailsAsync(id, email)).Status);
            }

            if (i >= 2)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await api.WorkspacesAsync(id)).Status);
                tokens.Add(Mailbox.ActivationToken(await stack.Mailbox.WaitForMessageAsync(email)));
            }
        }

        HashSet<(string Table, string Partition, string Row)> before = await SnapshotAsync(stack);
        IReadOnlyList<Endpoint> endpoints = FunctionCatalog.Load(typeof(ServiceRegistration).Assembly).Http
            .SelectMany(f => f.Verbs.Select(v => new Endpoint(v, f.Route))).ToList();

        var counts = new Counts();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, cancellationToken) =>
        {
            var random = new Random(HashCode.Combine(seed, index));
            Endpoint endpoint = endpoints[random.Next(endpoints.Count)];
            (HttpRequestMessage request, string mutation) = Build(random, endpoint, ids, tokens);
            counts.ByMutation.AddOrUpdate(mutation, 1, (_, c) => c + 1);
            string description = $"#{index} [{mutation}] {request.Method} {request.RequestUri}";
            try
            {
                using HttpResponseMessage response = await stack.Http.SendAsync(request, cancellationToken);
                Interlocked.Increment(ref counts.Sent);
                counts.ByStatus.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                string body = await response.Content.ReadAsStringAsync(cancellationToken);
                string? problem = Check(request, response, body, counts);
                if (problem is not null)
                {
                    counts.Failures.Enqueue($"{description}: {problem}");
                }

                if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json" && body.Length > 0 && JsonNode.Parse(body) is JsonObject json)
                {
                    if (endpoint.Route == "signups" && json["signupId"]?.GetValue<string>() is { } created)
                    {
                        accepted[created] = 0;
                    }

                    if (endpoint.Route == "captcha" && json["id"]?.GetValue<string>() is { } captcha)
                    {
                        captchas[captcha] = 0;
                    }
                }
            }
            catch (HttpRequestException ex)
            {
                counts.Failures.Enqueue($"{description}: transport failure {ex.Message}");
            }
            finally
            {
                request.Dispose();
            }
        });
        watch.Stop();

        await Task.Delay(1_500); // orchestrations started by accepted signups write their rows
        IReadOnlyList<string> strayRows = await StrayRowsAsync(stack, before, accepted.Keys.ToHashSet(), captchas.Keys.ToHashSet());

        string report = Report(requests, seed, watch.Elapsed, counts, accepted.Count - 3, strayRows.Count);
        output.WriteLine(report);
        WriteReport(report);
        Assert.Equal(requests, counts.Sent);
        Assert.True(counts.Failures.IsEmpty, $"{counts.Failures.Count} bad responses (seed {seed}):\n" + string.Join("\n", counts.Failures.Take(25)));
        Assert.True(strayRows.Count == 0, $"{strayRows.Count} rows not written by an accepted request (seed {seed}):\n" + string.Join("\n", strayRows.Take(25)));
        Assert.DoesNotContain(counts.ByStatus.Keys, status => status >= 500);
    }

    /// <summary>The response's fault, or null: never 5xx; errors are problem+json with a known code; no stack trace.</summary>
    static string? Check(HttpRequestMessage request, HttpResponseMessage response, string body, Counts counts)
    {
        int status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"{status}: {Truncate(body)}";
        }

        // "api/../x" and backslashes are normalised by the client into a path outside the API: the front end answers.
        string path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            counts.ByMutation.AddOrUpdate("(left the API path)", 1, (_, c) => c + 1);
            return null;
        }

        // Kestrel itself refuses a percent-encoded NUL in the path with a bare 400, before any app code runs.
        if (status == 400 && response.Content.Headers.ContentType is null && request.RequestUri.OriginalString.Contains("%00", StringComparison.Ordinal))
        {
            counts.ByMutation.AddOrUpdate("(NUL in path, refused by Kestrel)", 1, (_, c) => c + 1);
            return null;
        }

        if (StackFrame().IsMatch(body) || body.Contains("Exception", StringComparison.Ordinal))
        {
            return $"{status} leaks an exception: {Truncate(body)}";
        }

        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status == 204 && request.Method == HttpMethod.Options)
        {
            return null; // a CORS preflight answered by the CORS middleware
        }

        if (response.IsSuccessStatusCode)
        {
            // The API's documentation (openapi.yaml, docs page and its assets) is not JSON.
            bool documentation = path.StartsWith("/api/docs", StringComparison.Ordinal) || path.StartsWith("/api/openapi", StringComparison.Ordinal);
            return body.Length == 0 || mediaType == "application/json" || documentation ? null : $"{status} with {mediaType}";
        }

        // No function matched the address or the method: the Functions host answers an empty 404 itself, and so does the local host.
        if (status == 404 && mediaType is null && body.Length == 0)
        {
            counts.ByMutation.AddOrUpdate("(no function matched: the host's empty 404)", 1, (_, c) => c + 1);
            return null;
        }

        if (mediaType != "application/problem+json")
        {
            return $"{status} with content type {mediaType ?? "(none)"}: {Truncate(body)}";
        }

        if (request.Method == HttpMethod.Head)
        {
            return null; // no body to read
        }

        try
        {
            JsonNode? problem = JsonNode.Parse(body);
            string? code = problem?["code"]?.GetValue<string>();
            if (code is null || !ErrorCodes.All.ContainsKey(code) || problem!["status"]?.GetValue<int>() != status || problem["detail"] is null)
            {
                return $"{status}: not a complete problem: {Truncate(body)}";
            }

            if (status == 429 && response.Headers.RetryAfter is null)
            {
                return "429 without Retry-After";
            }
        }
        catch (JsonException)
        {
            return $"{status}: problem body is not JSON: {Truncate(body)}";
        }

        return null;
    }

    static (HttpRequestMessage Request, string Mutation) Build(Random random, Endpoint endpoint, List<string> ids, List<string> tokens)
    {
        string method = endpoint.Method;
        string mutation = "body";
        string route = FillRoute(random, endpoint.Route, ids, tokens, out bool routeMutated);
        if (routeMutated)
        {
            mutation = "route value";
        }

        int dice = random.Next(100);
        if (dice < 6)
        {
            method = WrongMethods[random.Next(WrongMethods.Length)];
            mutation = "method";
        }

        string path = "api/" + route;
        if (dice is >= 6 and < 9)
        {
            path = random.Next(4) switch
            {
                0 => "api/../" + route,
                1 => "api/%2e%2e/" + route,
                2 => "api/" + route + "/..%2f..%2f",
                _ => "api//" + route,
            };
            mutation = "path traversal";
        }
        else if (dice is >= 9 and < 12)
        {
            path += "?$filter=" + Uri.EscapeDataString(NastyRouteValues[random.Next(NastyRouteValues.Length)]) + "&x=" + new string('y', random.Next(0, 500));
            mutation = "query";
        }

        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", random.Next(2) == 0 ? new string('x', 4000) : "en;q=abc, *;q=-1, fr-FR;q=1.5");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", "' or 1 eq 1, 203.0.113.9, not-an-ip");
        }

        if (method is "GET" or "HEAD" or "DELETE" or "OPTIONS" or "TRACE" && random.Next(3) != 0)
        {
            return (request, mutation);
        }

        (byte[] body, string bodyMutation) = Body(random, endpoint);
        if (mutation == "body")
        {
            mutation = bodyMutation;
        }

        var content = new ByteArrayContent(body);
        if (random.Next(12) == 0)
        {
            string type = ContentTypes[random.Next(ContentTypes.Length)];
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            mutation = "content type";
        }
        else if (random.Next(25) == 0)
        {
            mutation = "no content type";
        }
        else
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        request.Content = content;
        return (request, mutation);
    }

    static string FillRoute(Random random, string route, List<string> ids, List<string> tokens, out bool mutated)
    {
        bool any = false;
        string filled = RouteParameter().Replace(route, match =>
        {
            string name = match.Groups[1].Value;
            if (random.Next(3) == 0)
            {
                any = true;
                return random.Next(6) switch
                {
                    0 => Uri.EscapeDataString(NastyRouteValues[random.Next(NastyRouteValues.Length)]),
                    1 => Uri.EscapeDataString(RandomText(random, random.Next(1, 80))),
                    2 => new string('a', random.Next(33, 1500)),
                    3 => Uri.EscapeDataString(Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_')),
                    _ => NastyRouteValues[random.Next(NastyRouteValues.Length)].Replace("/", "%2F", StringComparison.Ordinal),
                };
            }

            return name switch
            {
                "signupId" => ids[random.Next(ids.Count)],
                "token" when tokens.Count > 0 && random.Next(2) == 0 => tokens[random.Next(tokens.Count)],
                "identifierType" => "SIRET",
                "identifier" => Sirets.NewValid(),
                _ => Guid.NewGuid().ToString("N"),
            };
        });
        mutated = any;
        return filled;
    }

    /// <summary>A valid-looking body for the endpoint, then (most of the time) one mutation of it.</summary>
    static (byte[] Body, string Mutation) Body(Random random, Endpoint endpoint)
    {
        JsonObject seed = Seed(random, endpoint.Route);
        int dice = random.Next(100);
        switch (dice)
        {
            case < 15:
                return (Encoding.UTF8.GetBytes(seed.ToJsonString()), "valid shape");
            case < 30:
            {
                // Wrong type or adversarial string in one member.
                string key = seed.Select(p => p.Key).ElementAtOrDefault(random.Next(Math.Max(1, seed.Count))) ?? "x";
                seed[key] = WrongValue(random);
                return (Encoding.UTF8.GetBytes(seed.ToJsonString()), "wrong type or value");
            }

            case < 38:
                seed["unknown" + random.Next(100)] = WrongValue(random);
                return (Encoding.UTF8.GetBytes(seed.ToJsonString()), "unknown member");
            case < 48:
            {
                byte[] bytes = Encoding.UTF8.GetBytes(seed.ToJsonString());
                int at = random.Next(bytes.Length);
                byte value = (byte)random.Next(256);
                byte[] mutated = (random.Next(3)) switch
                {
                    0 => [.. bytes[..at], value, .. bytes[at..]],
                    1 => [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + 1)..]],
                    _ => bytes[..at],
                };
                return (mutated, "malformed JSON");
            }

            case < 55:
            {
                byte[][] invalid = [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xFF], [0xF0, 0x28, 0x8C, 0xBC], [0xC0, 0xAF], [0xE2, 0x82]];
                string json = seed.ToJsonString();
                int quote = json.IndexOf(":\"", StringComparison.Ordinal);
                byte[] bytes = Encoding.UTF8.GetBytes(json);
                int at = quote < 0 ? random.Next(bytes.Length) : Encoding.UTF8.GetByteCount(json[..(quote + 2)]);
                return ([.. bytes[..at], .. invalid[random.Next(invalid.Length)], .. bytes[at..]], "invalid UTF-8");
            }

            case < 62:
            {
                int depth = random.Next(2) == 0 ? random.Next(10, 40) : random.Next(1_000, 6_000);
                string nested = string.Concat(Enumerable.Repeat(random.Next(2) == 0 ? "[" : "{\"a\":", depth));
                return (Encoding.UTF8.GetBytes(nested + "1" + string.Concat(Enumerable.Repeat(nested.StartsWith('[') ? "]" : "}", depth))), "deep nesting");
            }

            case < 69:
            {
                string key = seed.Select(p => p.Key).FirstOrDefault() ?? "password";
                seed[key] = new string('é', random.Next(200, 20_000));
                return (Encoding.UTF8.GetBytes(seed.ToJsonString()), "huge value");
            }

            case < 76:
            {
                string key = seed.Select(p => p.Key).ElementAtOrDefault(random.Next(Math.Max(1, seed.Count))) ?? "x";
                string[] controls = ["\\u0000", "\\u0007", "\\u001f", "\\ud800", "\\udc00x", "\\u202e", "\\u2028", "\\ufeff", "\\r\\n"];
                string json = seed.ToJsonString().Replace($"\"{key}\":\"", $"\"{key}\":\"{controls[random.Next(controls.Length)]}", StringComparison.Ordinal);
                return (Encoding.UTF8.GetBytes(json), "control characters");
            }

            case < 81:
            {
                string json = seed.ToJsonString();
                string first = seed.Select(p => p.Key).FirstOrDefault() ?? "a";
                return (Encoding.UTF8.GetBytes(json.TrimEnd('}') + (seed.Count > 0 ? "," : "") + $"\"{first}\":{WrongValue(random)?.ToJsonString() ?? "null"}}}"), "duplicate member");
            }

            case < 86:
                return (Encoding.UTF8.GetBytes(random.Next(6) switch
                {
                    0 => "",
                    1 => "null",
                    2 => "[]",
                    3 => "\"text\"",
                    4 => "12345678901234567890123456789",
                    _ => "{'single':'quotes'}",
                }), "not an object");
            case < 91:
                return ([.. Enumerable.Range(0, random.Next(1, 400)).Select(_ => (byte)random.Next(256))], "random bytes");
            case < 95:
                return (Encoding.UTF8.GetBytes("{\"password\":\"" + new string('a', random.Next(16_000, 40_000)) + "\"}"), "oversized body");
            default:
            {
                foreach (string key in seed.Select(p => p.Key).ToList())
                {
                    if (seed[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        seed[key] = NastyRouteValues[random.Next(NastyRouteValues.Length)];
                    }
                }

                return (Encoding.UTF8.GetBytes(seed.ToJsonString()), "filter-looking strings");
            }
        }
    }

    static JsonObject Seed(Random random, string route)
    {
        string email = $"fuzz.{random.Next():x}@exemple.fr";
        return route switch
        {
            "signups" => new JsonObject { ["loginEmail"] = email, ["identifierType"] = "SIRET", ["identifier"] = Sirets.NewValid() },
            "signups/{signupId}/details" => JsonNode.Parse(JsonSerializer.Serialize(SecurityStack.Details(email, null, null)))!.AsObject(),
            "signups/{signupId}/workspaces" => new JsonObject { ["workspaces"] = new JsonArray("FACTURES_EMISES", "SOLLICITATIONS_EMISES") },
            "activations/{token}" => new JsonObject { ["password"] = "Jardin-Truffaut-2026", ["passwordConfirmation"] = "Jardin-Truffaut-2026", ["secretQuestion"] = "Ville ?", ["secretAnswer"] = "Corbeil" },
            "password-strength" => new JsonObject { ["password"] = RandomText(random, 12), ["loginEmail"] = email, ["lastName"] = "Lucas", ["firstName"] = "Georges" },
            _ => new JsonObject { ["reason"] = RandomText(random, 10), ["comment"] = "ok" },
        };
    }

    static JsonNode? WrongValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next()),
        2 => JsonValue.Create(true),
        3 => new JsonArray(1, "a", null),
        4 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = 1 } },
        5 => JsonValue.Create(1e300),
        6 => JsonValue.Create(NastyRouteValues[random.Next(NastyRouteValues.Length)]),
        7 => JsonValue.Create(RandomText(random, random.Next(0, 300))),
        _ => JsonValue.Create(""),
    };

    static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            builder.Append(random.Next(8) switch
            {
                0 => (char)random.Next(0x20),
                1 => "'\"%/\\#?&=+;<>{}[]"[random.Next(17)],
                2 => (char)random.Next(0x80, 0x2FF),
                3 => (char)random.Next(0x4E00, 0x4FFF),
                _ => (char)random.Next('a', 'z' + 1),
            });
        }

        return builder.ToString();
    }

    static async Task<HashSet<(string, string, string)>> SnapshotAsync(LocalStack stack)
    {
        var rows = new HashSet<(string, string, string)>();
        foreach (string name in TableNames.All)
        {
            await foreach (TableEntity entity in stack.Table(name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add((name, entity.PartitionKey, entity.RowKey));
            }
        }

        return rows;
    }

    /// <summary>Rows written since the snapshot that no accepted request explains.</summary>
    static async Task<IReadOnlyList<string>> StrayRowsAsync(LocalStack stack, HashSet<(string, string, string)> before, HashSet<string> signups, HashSet<string> captchas)
    {
        var stray = new List<string>();
        var newRows = new List<(string Table, TableEntity Entity)>();
        foreach (string name in TableNames.All)
        {
            await foreach (TableEntity entity in stack.Table(name).QueryAsync<TableEntity>())
            {
                if (!before.Contains((name, entity.PartitionKey, entity.RowKey)))
                {
                    newRows.Add((name, entity));
                }
            }
        }

        // Token hashes of accepted signups' links explain their expiry index rows.
        HashSet<string> tokenHashes = newRows.Where(r => r.Table == TableNames.ActivationTokens && signups.Contains(r.Entity.GetString("SignupId") ?? ""))
            .Select(r => r.Entity.PartitionKey).ToHashSet();

        foreach ((string table, TableEntity entity) in newRows)
        {
            string text = string.Join(" ", entity.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}"));
            bool explained = table switch
            {
                TableNames.RateCounters => CounterPartition().IsMatch(entity.PartitionKey) && CounterRow().IsMatch(entity.RowKey),
                TableNames.Captchas => captchas.Contains(entity.PartitionKey + entity.RowKey),
                TableNames.AuditTrail => signups.Contains(entity.PartitionKey) || ClientPartition().IsMatch(entity.PartitionKey),
                TableNames.SecurityMarks => MarkPartition().IsMatch(entity.PartitionKey),
                _ => signups.Any(id => text.Contains(id, StringComparison.Ordinal)) || tokenHashes.Any(h => text.Contains(h, StringComparison.Ordinal)),
            };
            if (!explained || entity.PartitionKey.Contains('\'', StringComparison.Ordinal) || entity.RowKey.Contains('\'', StringComparison.Ordinal))
            {
                stray.Add($"{table}: {text}");
            }
        }

        return stray;
    }

    static string Report(int requests, int seed, TimeSpan elapsed, Counts counts, int fuzzAccepted, int stray)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"HTTP fuzz report — {counts.Sent}/{requests} requests in {elapsed.TotalSeconds:F1} s, seed {seed}");
        report.AppendLine("By status: " + string.Join(", ", counts.ByStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}")));
        report.AppendLine("By mutation: " + string.Join(", ", counts.ByMutation.OrderByDescending(p => p.Value).Select(p => $"{p.Key}×{p.Value}")));
        report.AppendLine(CultureInfo.InvariantCulture, $"5xx: {counts.ByStatus.Where(p => p.Key >= 500).Sum(p => p.Value)}; bad responses: {counts.Failures.Count}; signups accepted from fuzzed requests: {fuzzAccepted}; stray rows: {stray}");
        return report.ToString();
    }

    static void WriteReport(string report)
    {
        string directory = Path.Combine(RepositoryRoot.Path, "test-output");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "http-fuzz-report.txt"), report);
    }

    static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>A .NET stack frame ("   at Namespace.Type.Method("), not prose that happens to start a line with "at".</summary>
    [GeneratedRegex(@"^\s+at [\w.`<>\[\],]+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();

    // The window's end, then a hex digit of the subject's hash (counters spread over 16 partitions per window).
    [GeneratedRegex(@"^\d{14}-[0-9a-f]$")]
    private static partial Regex CounterPartition();

    [GeneratedRegex(@"^[A-Za-z]+~[0-9a-f]{32}$")]
    private static partial Regex CounterRow();

    [GeneratedRegex(@"^client~[0-9a-f]{32}$")]
    private static partial Regex ClientPartition();

    [GeneratedRegex(@"^(lock-client|lock-signup|attempt-notice)~[0-9a-f]+$")]
    private static partial Regex MarkPartition();
}

/// <summary>
/// The fuzz test runs alone: the stacks of the other tests share Azurite and its tables, and the check that the
/// tables hold only what accepted requests wrote must not see their rows.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HttpFuzzCollection
{
    public const string Name = "HTTP fuzz (alone)";
}
