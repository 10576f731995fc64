using System.Text.Json.Nodes;
using ChorusFunctions.Http;
using ChorusFunctions.Testing.Contract;

namespace ChorusFunctions.Tests.Contract;

/// <summary>
/// The stable error codes have one source, <see cref="ErrorCodes.All"/>: the document's <c>ErrorCode</c> list must
/// carry exactly those codes with exactly those meanings, plus only codes marked <c>x-planned</c>.
/// </summary>
public sealed class ErrorCodeDriftTests
{
    sealed record DocumentedCode(string Code, string? Meaning, string? Planned);

    static readonly OpenApiContract Contract = OpenApiContract.Default;

    static IReadOnlyList<DocumentedCode> DocumentedCodes() =>
        Contract.ComponentSchemas["ErrorCode"]!["oneOf"]!.AsArray()
            .Select(entry => new DocumentedCode(entry!["const"]!.GetValue<string>(), entry["description"]?.GetValue<string>(), entry["x-planned"]?.ToString()))
            .ToList();

    [Fact]
    public void The_document_lists_exactly_the_codes_of_the_code()
    {
        string[] documented = DocumentedCodes().Where(c => c.Planned is null).Select(c => c.Code).Order(StringComparer.Ordinal).ToArray();
        string[] inCode = ErrorCodes.All.Keys.Order(StringComparer.Ordinal).ToArray();

        Assert.True(documented.SequenceEqual(inCode),
            $"ErrorCode in openapi.yaml and ErrorCodes.All differ.\n  only in the document: {string.Join(", ", documented.Except(inCode))}" +
            $"\n  only in the code: {string.Join(", ", inCode.Except(documented))}");
    }

    [Fact]
    public void Each_code_means_what_the_code_says()
    {
        string[] different = DocumentedCodes()
            .Where(c => ErrorCodes.All.TryGetValue(c.Code, out string? meaning) && meaning != c.Meaning)
            .Select(c => $"{c.Code}: document says \"{c.Meaning}\", ErrorCodes.All says \"{ErrorCodes.All[c.Code]}\"")
            .ToArray();

        Assert.True(different.Length == 0, string.Join('\n', different));
    }

    [Fact]
    public void Planned_codes_lose_their_mark_once_the_code_has_them()
    {
        string[] landed = DocumentedCodes().Where(c => c.Planned is not null && ErrorCodes.All.ContainsKey(c.Code))
            .Select(c => $"{c.Code} is in ErrorCodes.All now: remove its x-planned mark ({c.Planned})")
            .ToArray();

        Assert.True(landed.Length == 0, string.Join('\n', landed));
    }

    [Fact]
    public void Every_code_a_response_promises_is_a_documented_code()
    {
        var known = DocumentedCodes().Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach ((string name, JsonNode? response) in Contract.Root["components"]!["responses"]!.AsObject())
        {
            foreach (JsonNode? code in CodesNarrowedBy(response!["content"]?["application/problem+json"]?["schema"]))
            {
                if (code is not null && !known.Contains(code.GetValue<string>()))
                {
                    problems.Add($"{name} promises code {code} which ErrorCode does not list");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>The <c>code</c> values an error response's schema narrows <c>Problem</c> to (const or enum).</summary>
    static IEnumerable<JsonNode?> CodesNarrowedBy(JsonNode? schema)
    {
        foreach (JsonNode? part in schema?["allOf"]?.AsArray() ?? [])
        {
            JsonNode? code = part?["properties"]?["code"];
            if (code?["const"] is JsonNode single)
            {
                yield return single;
            }

            foreach (JsonNode? value in code?["enum"]?.AsArray() ?? [])
            {
                yield return value;
            }
        }
    }
}
