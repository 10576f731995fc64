using System.Net;
using System.Text.RegularExpressions;
using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests.Browser;

/// <summary>How the local host serves the front end, and what the front end's files may not contain.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class FrontEndDeliveryTests(BrowserFixture fixture)
{
    static readonly string WebRoot = Path.Combine(RepositoryRoot.Path, "src", "ChorusWeb");

    [Fact]
    public async Task Pages_are_served_with_a_strict_content_security_policy()
    {
        using HttpResponseMessage response = await fixture.Stack.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(' ', response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", string.Join(' ', response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_activation_page_never_sends_its_token_in_a_referrer()
    {
        using HttpResponseMessage response = await fixture.Stack.Http.GetAsync("/activation?token=abc");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-referrer", string.Join(' ', response.Headers.GetValues("Referrer-Policy")));
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Activation du compte utilisateur", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_has_no_inline_script_style_or_event_handler()
    {
        foreach (string file in Directory.GetFiles(WebRoot, "*.html"))
        {
            string html = File.ReadAllText(file);
            Assert.Contains("<html lang=\"fr\">", html, StringComparison.Ordinal);
            foreach (Match script in ScriptTag().Matches(html))
            {
                Assert.True(script.Groups["attrs"].Value.Contains("src=", StringComparison.Ordinal), $"{file}: inline script {script.Value}");
            }

            Assert.False(StyleTag().IsMatch(html), $"{file}: inline <style>");
            Assert.False(StyleAttribute().IsMatch(html), $"{file}: style attribute");
            Assert.False(EventAttribute().IsMatch(html), $"{file}: inline event handler");
            Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Scripts_never_write_html_from_strings()
    {
        foreach (string file in Directory.GetFiles(Path.Combine(WebRoot, "js"), "*.js"))
        {
            string js = File.ReadAllText(file);
            foreach (string sink in new[] { "innerHTML", "outerHTML =", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
            {
                Assert.False(js.Contains(sink, StringComparison.Ordinal), $"{Path.GetFileName(file)} uses {sink}");
            }
        }
    }

    [Fact]
    public void The_static_web_app_configuration_keeps_the_same_headers()
    {
        string config = File.ReadAllText(Path.Combine(WebRoot, "staticwebapp.config.json"));
        using var json = System.Text.Json.JsonDocument.Parse(config);
        System.Text.Json.JsonElement root = json.RootElement;
        Assert.Equal("/index.html", root.GetProperty("navigationFallback").GetProperty("rewrite").GetString());
        string csp = root.GetProperty("globalHeaders").GetProperty("Content-Security-Policy").GetString()!;
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        System.Text.Json.JsonElement activation = root.GetProperty("routes").EnumerateArray()
            .First(r => r.GetProperty("route").GetString() == "/activation");
        Assert.Equal("/activation.html", activation.GetProperty("rewrite").GetString());
        Assert.Equal("no-referrer", activation.GetProperty("headers").GetProperty("Referrer-Policy").GetString());
    }

    [GeneratedRegex(@"<script(?<attrs>[^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<style[\s>]", RegexOptions.IgnoreCase)]
    private static partial Regex StyleTag();

    [GeneratedRegex(@"\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();
}
