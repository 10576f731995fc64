using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ChorusFunctions.Testing.Contract;

/// <summary>What checking one response against the contract found.</summary>
public sealed record ContractCheck(string Request, string? OperationId, int Status, IReadOnlyList<string> Violations)
{
    public bool IsValid => Violations.Count == 0;

    public override string ToString() => IsValid
        ? $"{Request} → {Status} matches {OperationId}"
        : $"{Request} → {Status} ({OperationId ?? "no operation"}) breaks the contract:\n  - {string.Join("\n  - ", Violations)}";
}

public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// Checks real responses (status, media type, required headers, body) against the OpenAPI document. Unit tests
/// feed it responses produced by the function classes; integration tests feed it what the local host answered
/// (<see cref="AssertMatchesAsync"/>). Schemas are JSON Schema 2020-12 (OpenAPI 3.1), evaluated by JsonSchema.Net (7.x).
/// </summary>
public sealed class ContractValidator(OpenApiContract contract)
{
    static readonly Lazy<ContractValidator> Embedded = new(() => new ContractValidator(OpenApiContract.Default));

    readonly ConcurrentDictionary<string, JsonSchema> schemas = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<(string OperationId, string Status), int> seen = new();
    int schemaCount;

    public static ContractValidator Default => Embedded.Value;

    public OpenApiContract Contract { get; } = contract;

    /// <summary>Every (operationId, documented status) checked so far, valid or not: what a test run covered.</summary>
    public IReadOnlyCollection<(string OperationId, string Status)> Seen => seen.Keys.ToArray();

    /// <summary>Checks an <see cref="HttpResponseMessage"/> (with its request) and throws on any violation.</summary>
    public async Task<ContractCheck> AssertMatchesAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ContractCheck check = await CheckAsync(response, cancellationToken);
        return check.IsValid ? check : throw new ContractViolationException(check.ToString());
    }

    public async Task<ContractCheck> CheckAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        HttpRequestMessage request = response.RequestMessage ?? throw new ArgumentException("The response has no request.", nameof(response));
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> header in response.Headers.Concat(response.Content.Headers))
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        return Check(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, headers);
    }

    /// <summary>Checks one response; <paramref name="path"/> is the request path (e.g. <c>/api/signups/3f2b…</c>).</summary>
    public ContractCheck Check(string method, string path, int status, string? contentType, string? body, IReadOnlyDictionary<string, string>? headers = null)
    {
        string request = $"{method.ToUpperInvariant()} {path}";
        var violations = new List<string>();
        ContractOperation? operation = FindOperation(method, path);
        if (operation is null)
        {
            violations.Add("no operation of the document has this method and path");
            return new ContractCheck(request, null, status, violations);
        }

        JsonObject responses = operation.Node["responses"]!.AsObject();
        string statusKey = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? key = new[] { statusKey, $"{statusKey[0]}XX", "default" }.FirstOrDefault(responses.ContainsKey);
        if (key is null)
        {
            violations.Add($"status {status} is not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})");
            return new ContractCheck(request, operation.OperationId, status, violations);
        }

        seen.TryAdd((operation.OperationId ?? request, key), 0);
        JsonObject response = Contract.Resolve(responses[key]!.AsObject());
        CheckHeaders(response, headers ?? new Dictionary<string, string>(), violations);
        CheckBody(response, contentType, body, violations);
        return new ContractCheck(request, operation.OperationId, status, violations);
    }

    /// <summary>The operation whose path template matches, preferring literal segments over parameters.</summary>
    public ContractOperation? FindOperation(string method, string path)
    {
        string[] segments = path.TrimEnd('/').Split('/');
        return Contract.Operations
            .Where(o => o.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
            .Select(o => (Operation: o, Template: o.Path.Split('/')))
            .Where(t => t.Template.Length == segments.Length && t.Template.Zip(segments).All(p => IsParameter(p.First) || p.First == Uri.UnescapeDataString(p.Second)))
            .OrderByDescending(t => t.Template.Count(s => !IsParameter(s)))
            .Select(t => t.Operation)
            .FirstOrDefault();

        static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');
    }

    /// <summary>Validates a JSON value against a schema of the document given by reference or inline.</summary>
    public IReadOnlyList<string> ValidateValue(JsonNode schema, JsonElement value)
    {
        EvaluationResults results = SchemaFor(schema).Evaluate(value, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });

        return results.IsValid
            ? []
            : (results.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value} ({e.Key} at {d.EvaluationPath})"))
                .DefaultIfEmpty("the value does not match the schema")
                .ToList();
    }

    void CheckHeaders(JsonObject response, IReadOnlyDictionary<string, string> headers, List<string> violations)
    {
        foreach ((string name, JsonNode? declared) in response["headers"]?.AsObject() ?? [])
        {
            JsonObject header = Contract.Resolve(declared!.AsObject());
            if (!headers.TryGetValue(name, out string? value))
            {
                if (header["required"]?.GetValue<bool>() == true)
                {
                    violations.Add($"required header {name} is missing");
                }

                continue;
            }

            if (header["schema"] is JsonNode schema)
            {
                // Header values are text; an integer-typed header (Retry-After) is checked as the number it spells.
                using JsonDocument parsed = JsonDocument.Parse(schema["type"]?.ToString() == "integer" && long.TryParse(value, out long number)
                    ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : JsonSerializer.Serialize(value));
                violations.AddRange(ValidateValue(schema, parsed.RootElement).Select(e => $"header {name}: {e}"));
            }
        }
    }

    void CheckBody(JsonObject response, string? contentType, string? body, List<string> violations)
    {
        JsonObject? content = response["content"]?.AsObject();
        bool hasBody = !string.IsNullOrEmpty(body);
        if (content is null || content.Count == 0)
        {
            if (hasBody)
            {
                violations.Add("the response has a body but the document declares none");
            }

            return;
        }

        if (!hasBody)
        {
            violations.Add($"the document declares a body ({string.Join(", ", content.Select(c => c.Key))}) but the response has none");
            return;
        }

        string? mediaType = contentType is null ? null : MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed) ? parsed.MediaType : contentType;
        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            violations.Add($"content type {contentType ?? "(none)"} is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})");
            return;
        }

        if (!mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || media["schema"] is not JsonNode schema)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body!);
        }
        catch (JsonException ex)
        {
            violations.Add($"the body is not JSON: {ex.Message}");
            return;
        }

        using (document)
        {
            violations.AddRange(ValidateValue(schema, document.RootElement).Select(e => $"body {e}"));
        }
    }

    /// <summary>
    /// Builds a stand-alone 2020-12 schema: the document's component schemas become <c>$defs</c> and references are
    /// rewritten to point there, so the validator needs no knowledge of OpenAPI's document layout.
    /// </summary>
    JsonSchema SchemaFor(JsonNode schema)
    {
        string key = schema.ToJsonString();
        return schemas.GetOrAdd(key, _ =>
        {
            var defs = new JsonObject();
            foreach ((string name, JsonNode? definition) in Contract.ComponentSchemas)
            {
                defs[name] = Rewrite(definition);
            }

            JsonNode root = Rewrite(schema) ?? new JsonObject();
            JsonObject standalone = root is JsonObject rootObject ? rootObject : new JsonObject { ["allOf"] = new JsonArray(root) };
            standalone["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            standalone["$defs"] = defs;

            // Its own base URI per schema: evaluation registers each schema with its $defs, and they must not collide.
            standalone["$id"] = $"https://chorusfunctions.example/contract/{Interlocked.Increment(ref schemaCount)}.json";
            return JsonSchema.FromText(standalone.ToJsonString());
        });
    }

    static JsonNode? Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach ((string name, JsonNode? value) in obj)
                {
                    copy[name] = name == "$ref" && value?.GetValue<string>() is { } reference
                        ? reference.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal)
                        : Rewrite(value);
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(Rewrite).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
