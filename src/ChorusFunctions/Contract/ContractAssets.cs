using System.IO.Compression;
using System.Reflection;

namespace ChorusFunctions.Contract;

/// <summary>
/// The API contract and its reference page, embedded in this assembly so both hosts serve exactly the document that
/// was built and tested — never a copy that could differ from the repository's.
/// </summary>
public static class ContractAssets
{
    public const string OpenApiResource = "ChorusFunctions.openapi.yaml";
    public const string DocsScriptResource = "ChorusFunctions.Contract.docs.js";

    /// <summary>
    /// The Scalar bundle inside Scalar.AspNetCore (gzip). Its name is internal to that package, so the version is
    /// pinned and a unit test checks the resource is still there.
    /// </summary>
    public const string ScalarBundleResource = "ScalarStaticAssets.scalar.js";

    static readonly Lazy<byte[]> OpenApi = new(() => Read(typeof(ContractAssets).Assembly, OpenApiResource));
    static readonly Lazy<byte[]> DocsScript = new(() => Read(typeof(ContractAssets).Assembly, DocsScriptResource));
    static readonly Lazy<byte[]> ScalarGzip = new(() => Read(typeof(Scalar.AspNetCore.ScalarOptions).Assembly, ScalarBundleResource));
    static readonly Lazy<byte[]> ScalarPlain = new(() => Gunzip(ScalarGzip.Value));

    /// <summary>The OpenAPI document, UTF-8 YAML.</summary>
    public static byte[] OpenApiYaml => OpenApi.Value;

    public static byte[] DocsJs => DocsScript.Value;

    public static byte[] ScalarJsGzip => ScalarGzip.Value;

    public static byte[] ScalarJs => ScalarPlain.Value;

    static byte[] Read(Assembly assembly, string name)
    {
        using Stream stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from {assembly.GetName().Name}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
