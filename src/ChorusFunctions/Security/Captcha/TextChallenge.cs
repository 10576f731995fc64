namespace ChorusFunctions.Security.Captcha;

/// <summary>
/// The image captcha's text alternative (<c>?kind=text</c>, RGAA 1.4/1.5, WCAG 1.1.1): a short question in French that
/// a screen reader reads out, answered in a few characters. <see cref="Answer"/> is already normalised (<see cref="Normalize"/>).
/// </summary>
public sealed record TextChallenge(string Question, string Answer)
{
    /// <summary>Longest answer even looked at; longer is wrong without hashing.</summary>
    public const int MaxAnswerLength = 64;

    const string InDigits = " Répondez en chiffres.";

    /// <summary>Common, short, unaccented words (so that spelling them is easy to hear), none a palindrome or a number.</summary>
    static readonly string[] Words =
    [
        "jardin", "maison", "soleil", "pomme", "livre", "table", "fleur", "route", "porte", "piano",
        "tigre", "lapin", "melon", "sucre", "bateau", "cheval", "nuage", "plume", "carte", "arbre",
        "ville", "chaise", "orange", "lampe", "poisson", "montagne", "train", "farine", "jouet", "balcon",
    ];

    static readonly string[] Days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

    static readonly string[] Months =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    static readonly string[] Ordinals = ["première", "deuxième", "troisième"];

    /// <summary>Ten draws for nine templates: a sum is asked twice as often.</summary>
    const int TemplateCount = 10;

    public static TextChallenge Create() => Create(RandomNumberGenerator.GetInt32);

    /// <summary>A challenge chosen with <paramref name="next"/> (<c>next(n)</c> is in [0, n)): tests pass a seeded generator.</summary>
    public static TextChallenge Create(Func<int, int> next)
    {
        int Between(int min, int max) => min + next(max - min + 1);
        string Pick(string[] values) => values[next(values.Length)];

        return next(TemplateCount) switch
        {
            0 or 1 => Sum(Between(1, 9), Between(1, 9)),
            2 => Difference(Between(6, 15), Between(1, 5)),
            3 => Extreme(largest: true, Distinct(next, 3, 1, 20)),
            4 => Extreme(largest: false, Distinct(next, 3, 1, 20)),
            5 => LetterCount(Pick(Words)),
            6 => Reversed(Pick(Words)),
            7 => Letter(Pick(Words), next(Ordinals.Length)),
            8 => Following("Quel jour de la semaine vient après", Days, next(Days.Length)),
            _ => Following("Quel mois de l'année vient après", Months, next(Months.Length)),
        };
    }

    /// <summary>
    /// Letters and digits only, lower case, without accents (<see cref="Fold"/>); a number in words becomes its digits
    /// ("Dix-sept" → "17", "09" → "9"). Null when empty, absurdly long or not well-formed UTF-16. Never throws.
    /// </summary>
    public static string? Normalize(string? answer) =>
        string.IsNullOrWhiteSpace(answer) || answer.Length > MaxAnswerLength || !UnicodeText.IsWellFormed(answer) || Fold(answer) is not { Length: > 0 } folded
            ? null
            : FrenchNumbers.TryParse(folded, out int number) ? number.ToString(CultureInfo.InvariantCulture) : folded;

    /// <summary>Lower case, accents and ligatures undone (é → e, œ → oe), everything but letters and digits dropped.</summary>
    public static string Fold(string text) => string.Concat(UnicodeText.Normalize(text, NormalizationForm.FormKD).Select(c => c switch
    {
        'œ' or 'Œ' => "oe",
        'æ' or 'Æ' => "ae",
        'ß' => "ss",
        _ when char.IsLetterOrDigit(c) => char.ToLowerInvariant(c).ToString(),
        _ => "",
    }));

    static string N(int value) => FrenchNumbers.ToWords(value);

    static TextChallenge Sum(int a, int b) => Number($"Combien font {N(a)} plus {N(b)} ?{InDigits}", a + b);

    static TextChallenge Difference(int a, int b) => Number($"Combien font {N(a)} moins {N(b)} ?{InDigits}", a - b);

    static TextChallenge Extreme(bool largest, int[] v) => Number(
        $"Quel est le plus {(largest ? "grand" : "petit")} de ces trois nombres : {N(v[0])}, {N(v[1])}, {N(v[2])} ?{InDigits}", largest ? v.Max() : v.Min());

    static TextChallenge LetterCount(string word) => Number($"Combien de lettres compte le mot « {word} » ?{InDigits}", word.Length);

    static TextChallenge Reversed(string word) => Word($"Écrivez le mot « {word} » à l'envers, de la dernière à la première lettre.", new string(word.Reverse().ToArray()));

    static TextChallenge Letter(string word, int position) => Word($"Quelle est la {Ordinals[position]} lettre du mot « {word} » ?", word[position].ToString());

    static TextChallenge Following(string question, string[] cycle, int index) => Word($"{question} {cycle[index]} ?", cycle[(index + 1) % cycle.Length]);

    static TextChallenge Number(string question, int answer) => new(question, answer.ToString(CultureInfo.InvariantCulture));

    static TextChallenge Word(string question, string answer) => new(question, Fold(answer));

    /// <summary><paramref name="count"/> different numbers from [min, max], in random order (a partial shuffle: always ends).</summary>
    static int[] Distinct(Func<int, int> next, int count, int min, int max)
    {
        int[] pool = Enumerable.Range(min, max - min + 1).ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = i + next(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return pool[..count];
    }
}
