using Microsoft.Net.Http.Headers;

namespace ChorusFunctions.Http;

/// <summary>The language of the emails a signup receives: English when the browser prefers it, French otherwise.</summary>
public static class RequestLanguage
{
    public const string French = "fr";
    public const string English = "en";

    public static string Of(HttpRequest request) =>
        StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out IList<StringWithQualityHeaderValue>? languages)
            ? languages.OrderByDescending(l => l.Quality ?? 1).Select(l => l.Value.Value ?? "")
                .Select(tag => tag.StartsWith(French, StringComparison.OrdinalIgnoreCase) ? French
                    : tag.StartsWith(English, StringComparison.OrdinalIgnoreCase) ? English : null)
                .FirstOrDefault(language => language is not null) ?? French
            : French;
}
