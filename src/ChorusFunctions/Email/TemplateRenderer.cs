using System.Reflection;
using System.Text.RegularExpressions;

namespace ChorusFunctions.Email;

/// <summary>
/// Embedded <c>Email/Templates/{name}.{language}.tpl</c> (sections subject, text, html) inside <c>layout.{language}.tpl</c>.
/// Values are HTML-escaped in HTML; a placeholder without a value throws, so a template and its caller cannot drift apart.
/// </summary>
public sealed partial class TemplateRenderer
{
    const string ResourcePrefix = "ChorusFunctions.Email.Templates.";
    const string BodySlot = "{{{body}}}";

    readonly FrozenDictionary<string, TemplateSections> templates;

    public TemplateRenderer()
        : this(LoadEmbedded())
    {
    }

    internal TemplateRenderer(IReadOnlyDictionary<string, string> sources) =>
        templates = sources.ToFrozenDictionary(s => s.Key, s => TemplateSections.Parse(s.Key, s.Value), StringComparer.Ordinal);

    public RenderedEmail Render(string name, string language, IReadOnlyDictionary<string, string> values)
    {
        TemplateSections template = Get($"{name}.{language}");
        TemplateSections layout = Get($"layout.{language}");

        string subject = Fill(template.Subject, values, Escape.Line).Trim();
        var layoutValues = new Dictionary<string, string>(values, StringComparer.Ordinal) { ["subject"] = subject };
        string text = Wrap(layout.Text, Fill(template.Text, values, Escape.None), layoutValues, Escape.None);
        string html = Wrap(layout.Html, Fill(template.Html, values, Escape.Html), layoutValues, Escape.Html);
        return new RenderedEmail(subject, text, html);
    }

    TemplateSections Get(string key) =>
        templates.TryGetValue(key, out TemplateSections? template)
            ? template
            : throw new InvalidOperationException($"There is no email template '{key}'.");

    static string Wrap(string layout, string body, IReadOnlyDictionary<string, string> values, Escape escape)
    {
        int slot = layout.IndexOf(BodySlot, StringComparison.Ordinal);
        if (slot < 0)
        {
            throw new InvalidOperationException($"An email layout lacks its {BodySlot} slot.");
        }

        // The body is filled before it goes in, so a value that looks like a placeholder is never expanded twice.
        return Fill(layout[..slot], values, escape) + body.Trim('\n') + Fill(layout[(slot + BodySlot.Length)..], values, escape);
    }

    static string Fill(string source, IReadOnlyDictionary<string, string> values, Escape escape) =>
        Placeholder().Replace(source, match => match.Groups["name"] is not { Success: true } name
            ? throw new InvalidOperationException($"Unclosed placeholder at '{source[match.Index..Math.Min(source.Length, match.Index + 20)]}'.")
            : values.TryGetValue(name.Value.Trim(), out string? value)
                ? Escaped(value, escape)
                : throw new InvalidOperationException($"No value for the email placeholder '{name.Value.Trim()}'."));

    static string Escaped(string value, Escape escape) => escape == Escape.None ? value : string.Concat(value.Select(c => (escape, c) switch
    {
        (Escape.Html, '&') => "&amp;",
        (Escape.Html, '<') => "&lt;",
        (Escape.Html, '>') => "&gt;",
        (Escape.Html, '"') => "&quot;",
        (Escape.Html, '\'') => "&#39;",
        // A value never breaks a subject line (a header) or the layout of a paragraph.
        _ when char.IsControl(c) => " ",
        _ => c.ToString(),
    }));

    static Dictionary<string, string> LoadEmbedded()
    {
        Assembly assembly = typeof(TemplateRenderer).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(".tpl", StringComparison.Ordinal))
            .ToDictionary(r => r[ResourcePrefix.Length..^".tpl".Length], r =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(r)!, Encoding.UTF8);
                return reader.ReadToEnd();
            }, StringComparer.Ordinal);
    }

    /// <summary>A <c>{{name}}</c>, or an opening <c>{{</c> that is never closed (no name).</summary>
    [GeneratedRegex(@"\{\{(?:(?<name>.*?)\}\}|)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    enum Escape
    {
        None,
        Line,
        Html,
    }

    sealed record TemplateSections(string Subject, string Text, string Html)
    {
        public static TemplateSections Parse(string key, string source)
        {
            var sections = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
            StringBuilder? current = null;
            foreach (string line in source.ReplaceLineEndings("\n").Split('\n'))
            {
                if (line.StartsWith("=== ", StringComparison.Ordinal))
                {
                    current = sections[line[4..].Trim()] = new StringBuilder();
                }
                else if (current is not null)
                {
                    current.Append(line).Append('\n');
                }
                else if (line.Length > 0 && !line.StartsWith('#'))
                {
                    throw new InvalidOperationException($"Email template '{key}' has text before its first section.");
                }
            }

            string Section(string name, bool required) =>
                sections.TryGetValue(name, out StringBuilder? text) ? text.ToString().Trim('\n') + "\n"
                : required ? throw new InvalidOperationException($"Email template '{key}' has no '=== {name}' section.") : "";

            bool layout = key.StartsWith("layout.", StringComparison.Ordinal);
            return new TemplateSections(Section("subject", !layout), Section("text", true), Section("html", true));
        }
    }
}

public sealed record RenderedEmail(string Subject, string PlainText, string Html);
