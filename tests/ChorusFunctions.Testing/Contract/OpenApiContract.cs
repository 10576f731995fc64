using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChorusFunctions.Contract;
using YamlDotNet.RepresentationModel;

namespace ChorusFunctions.Testing.Contract;

/// <summary>An operation of the OpenAPI document: where it lives and what it says about itself.</summary>
public sealed record ContractOperation(string Method, string Path, string? OperationId, string? Planned, JsonObject Node);

/// <summary>
/// The OpenAPI document as JSON, read from the Functions assembly's embedded resource — the very bytes both hosts
/// serve at <c>/api/openapi.yaml</c>, not the file next to the sources.
/// </summary>
public sealed class OpenApiContract
{
    public static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    static readonly Lazy<OpenApiContract> Embedded = new(() => Parse(Encoding.UTF8.GetString(ContractAssets.OpenApiYaml)));

    OpenApiContract(JsonObject root)
    {
        Root = root;
        Operations = ReadOperations(root);
    }

    public static OpenApiContract Default => Embedded.Value;

    public JsonObject Root { get; }

    public IReadOnlyList<ContractOperation> Operations { get; }

    public JsonObject ComponentSchemas => (Root["components"] as JsonObject)?["schemas"] as JsonObject ?? [];

    public static OpenApiContract Parse(string yaml) =>
        new(YamlJson.Convert(yaml) as JsonObject ?? throw new FormatException("The OpenAPI document is not a YAML mapping."));

    /// <summary>Follows a local <c>$ref</c> (e.g. <c>#/components/responses/SignupNotFound</c>) until it reaches the object.</summary>
    public JsonObject Resolve(JsonObject node)
    {
        for (int hops = 0; node["$ref"]?.GetValue<string>() is { } reference; hops++)
        {
            if (hops > 16)
            {
                throw new InvalidOperationException($"$ref loop at {reference}");
            }

            node = Pointer(reference).AsObject();
        }

        return node;
    }

    /// <summary>The node at a local reference such as <c>#/components/schemas/Problem</c>.</summary>
    public JsonNode Pointer(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references are used in this document: {reference}");
        }

        JsonNode? node = Root;
        foreach (string raw in reference[2..].Split('/'))
        {
            string segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node?[segment];
        }

        return node ?? throw new KeyNotFoundException($"Nothing at {reference}");
    }

    static List<ContractOperation> ReadOperations(JsonObject root)
    {
        var operations = new List<ContractOperation>();
        foreach ((string path, JsonNode? item) in root["paths"]?.AsObject() ?? [])
        {
            foreach ((string key, JsonNode? value) in item!.AsObject())
            {
                if (Methods.Contains(key) && value is JsonObject operation)
                {
                    operations.Add(new ContractOperation(
                        key.ToUpperInvariant(),
                        path,
                        operation["operationId"]?.GetValue<string>(),
                        operation["x-planned"]?.ToString(),
                        operation));
                }
            }
        }

        return operations;
    }
}

/// <summary>
/// YAML to JSON with the YAML 1.2 core schema for plain scalars (null, booleans, integers, floats); quoted and block
/// scalars are strings. Enough for an OpenAPI document, and independent of any OpenAPI library's own model.
/// </summary>
public static partial class YamlJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
    }

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };

    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        bool plain = scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any;
        if (!plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(value.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
