using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ChorusFunctions.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChorusFunctions.Tests.Telemetry;

/// <summary>
/// The app's outbound calls are traced as dependencies by the product's OpenTelemetry setup, and no span carries a
/// secret: not the Authorization header, not an API key header, not a token or signature in a query string.
/// </summary>
public sealed class OutboundTracingTests
{
    const string Secret = "s3cr3t";

    [Fact]
    public async Task Outbound_calls_are_dependencies_without_secrets()
    {
        using WireMockServer server = WireMockServer.Start();
        server.Given(WireMock.RequestBuilders.Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(404).WithBody("{}"));
        string port = new Uri(server.Url!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var spans = new Collector();
        var services = new ServiceCollection();
        services.AddLogging(logging => services.AddFunctionsTelemetry(logging, new ConfigurationBuilder().Build()));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans));
        await using ServiceProvider provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<TracerProvider>();

        // A company register: HttpClient, API key in a header, a value in the query string.
        using (var http = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Url}/siret/44942603000135?q=44942603000135&token={Secret}-query"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret + "-bearer");
            request.Headers.Add("X-INSEE-Api-Key-Integration", Secret + "-key");
            using HttpResponseMessage response = await http.SendAsync(request);
        }

        // The ACS sender's kind of call: an Azure.Core pipeline with an Authorization header.
        HttpPipeline pipeline = HttpPipelineBuilder.Build(new PlainClientOptions());
        using (HttpMessage message = pipeline.CreateMessage())
        {
            message.Request.Method = RequestMethod.Post;
            message.Request.Uri.Reset(new Uri($"{server.Url}/emails:send?api-version=2023-03-31&sig={Secret}-sig"));
            message.Request.Headers.SetValue("Authorization", "Bearer " + Secret + "-acs");
            await pipeline.SendAsync(message, CancellationToken.None);
        }

        // Table Storage, authorised by a SAS token in the address.
        var table = new TableClient(new Uri($"{server.Url}/devstoreaccount1/Signups?sv=2025-01-05&sig={Secret}-sas"));
        await table.GetEntityIfExistsAsync<TableEntity>("p", "r");

        Activity[] ours = spans.Ended.Where(a => a.Tags.Any(t => t.Value?.Contains(port, StringComparison.Ordinal) == true)
            || a.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal)).ToArray();
        Assert.Contains(ours, a => a.Source.Name == "System.Net.Http" && a.Kind == ActivityKind.Client && Url(a).Contains("/siret/", StringComparison.Ordinal));
        Assert.Contains(ours, a => a.Source.Name == TelemetryRegistration.AzureSdkHttpSource && Url(a).Contains("/emails:send", StringComparison.Ordinal));
        Assert.Contains(ours, a => a.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
        Assert.DoesNotContain(ours, a => a.Source.Name == "System.Net.Http" && a.Parent?.Source.Name == TelemetryRegistration.AzureSdkHttpSource);

        foreach (Activity span in spans.Ended)
        {
            Assert.DoesNotContain(Secret, span.DisplayName, StringComparison.Ordinal);
            foreach (KeyValuePair<string, string?> tag in span.Tags)
            {
                Assert.False(tag.Value?.Contains(Secret, StringComparison.Ordinal) == true, $"{span.Source.Name} {tag.Key} = {tag.Value}");
            }
        }
    }

    static string Url(Activity activity) => activity.GetTagItem("url.full") as string ?? activity.GetTagItem("http.url") as string ?? "";

    sealed class PlainClientOptions : ClientOptions;

    sealed class Collector : BaseProcessor<Activity>
    {
        readonly List<Activity> ended = [];

        public IReadOnlyList<Activity> Ended
        {
            get
            {
                lock (ended)
                {
                    return [.. ended];
                }
            }
        }

        public override void OnEnd(Activity data)
        {
            lock (ended)
            {
                ended.Add(data);
            }
        }
    }
}

static class AzureSdkTracing
{
    /// <summary>
    /// The Azure SDK reads its activity-source switch once per process. The product sets it while registering services,
    /// before any client exists; in this test process other tests use Azure clients first, so it is set when the
    /// assembly loads.
    /// </summary>
    [ModuleInitializer]
    internal static void EnableActivitySource() => AppContext.SetSwitch(TelemetryRegistration.AzureSdkActivitySourceSwitch, true);
}
