using Microsoft.Net.Http.Headers;

namespace ChorusFunctions.Http;

/// <summary>The language of the emails a signup receives: English when the browser prefers it, French otherwise.</summary>
public static class RequestLanguage
{
    public const string French = "fr";
    public const string English = "en";

    public static string Of(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out IList<StringWithQualityHeaderValue>? languages))
        {
            return French;
        }

        foreach (StringWithQualityHeaderValue language in languages.OrderByDescending(l => l.Quality ?? 1))
        {
            string tag = language.Value.Value ?? "";
            if (tag.StartsWith(French, StringComparison.OrdinalIgnoreCase))
            {
                return French;
            }

            if (tag.StartsWith(English, StringComparison.OrdinalIgnoreCase))
            {
                return English;
            }
        }

        return French;
    }
}
