namespace ChorusFunctions.Security.Captcha;

/// <summary>French numbers 0–100 in words, both ways (Belgian and Swiss forms accepted); parsing reads folded text.</summary>
public static class FrenchNumbers
{
    public const int Max = 100;

    static readonly string[] Units =
    [
        "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
        "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
    ];

    static readonly string[] Tens = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"];

    static readonly FrozenDictionary<string, int> Folded = BuildFolded();

    /// <summary>The number in words, as written in France (traditional spelling: "vingt et un", "quatre-vingts").</summary>
    public static string ToWords(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, Max);
        return number switch
        {
            < 20 => Units[number],
            100 => "cent",
            < 70 => Compose(Tens[number / 10], number % 10),
            < 80 => Compose("soixante", number - 60),
            80 => "quatre-vingts",
            _ => "quatre-vingt-" + Units[number - 80],
        };
    }

    /// <summary>A folded answer ("neuf", "dixsept", "vingtetun", "17", "017") as its value, when it is a number from 0 to 100.</summary>
    public static bool TryParse(string folded, out int number) =>
        folded.Length is > 0 and <= 9 && !folded.AsSpan().ContainsAnyExceptInRange('0', '9')
            ? (number = int.Parse(folded, NumberStyles.None, CultureInfo.InvariantCulture)) <= Max
            : Folded.TryGetValue(folded, out number);

    static string Compose(string tens, int unit) => unit switch
    {
        0 => tens,
        1 or 11 => tens + " et " + Units[unit],
        _ => tens + "-" + Units[unit],
    };

    static FrozenDictionary<string, int> BuildFolded()
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(string text, int value) => words.TryAdd(TextChallenge.Fold(text), value);

        for (int n = 0; n <= Max; n++)
        {
            Add(ToWords(n), n);
        }

        // Accepted variants: "une", the 1990 spelling's hyphens fold away anyway; "vingt-un" without "et";
        // "quatre-vingt" without s; Belgian and Swiss septante, huitante/octante, nonante.
        Add("une", 1);
        Add("quatre-vingt", 80);
        Add("cents", 100);
        for (int tens = 2; tens <= 6; tens++)
        {
            Add(Tens[tens] + "-un", (tens * 10) + 1);
            Add(Tens[tens] + " et une", (tens * 10) + 1);
        }

        Add("soixante-onze", 71);
        Add("quatre-vingt-un", 81);
        foreach ((string word, int value) in new[] { ("septante", 70), ("huitante", 80), ("octante", 80), ("nonante", 90) })
        {
            Add(word, value);
            Add(word + " et un", value + 1);
            Add(word + "-un", value + 1);
            for (int unit = 2; unit <= 9; unit++)
            {
                Add(word + "-" + Units[unit], value + unit);
            }
        }

        // "quatre-vingt-dix-sept" is built above; "quatre-vingts" + units is not French but is read the same.
        for (int n = 81; n <= 99; n++)
        {
            Add("quatre-vingts-" + Units[n - 80], n);
        }

        return words.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
