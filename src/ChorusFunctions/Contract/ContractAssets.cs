using System.IO.Compression;
using System.Reflection;

namespace ChorusFunctions.Contract;

/// <summary>The API contract and its reference page, embedded so both hosts serve exactly what was built and tested.</summary>
public static class ContractAssets
{
    // Scalar.AspNetCore's gzip bundle: the name is that package's internal, so its version is pinned and a test checks it.
    const string ScalarBundle = "ScalarStaticAssets.scalar.js";

    static readonly Lazy<byte[]> OpenApi = new(() => Read(typeof(ContractAssets).Assembly, "ChorusFunctions.openapi.yaml"));
    static readonly Lazy<byte[]> DocsScript = new(() => Read(typeof(ContractAssets).Assembly, "ChorusFunctions.Contract.docs.js"));
    static readonly Lazy<byte[]> ScalarGzip = new(() => Read(typeof(Scalar.AspNetCore.ScalarOptions).Assembly, ScalarBundle));
    static readonly Lazy<byte[]> ScalarPlain = new(() => Read(typeof(Scalar.AspNetCore.ScalarOptions).Assembly, ScalarBundle, gunzip: true));

    /// <summary>The OpenAPI document, UTF-8 YAML.</summary>
    public static byte[] OpenApiYaml => OpenApi.Value;

    public static byte[] DocsJs => DocsScript.Value;

    public static byte[] ScalarJsGzip => ScalarGzip.Value;

    public static byte[] ScalarJs => ScalarPlain.Value;

    static byte[] Read(Assembly assembly, string name, bool gunzip = false)
    {
        Stream stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from {assembly.GetName().Name}.");
        using Stream content = gunzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var memory = new MemoryStream();
        content.CopyTo(memory);
        return memory.ToArray();
    }
}
