namespace ChorusFunctions.Security.Captcha;

/// <summary>
/// The text alternative to the image captcha (<c>GET /api/captcha?kind=text</c>), for people who cannot see the
/// image (RGAA 1.4 and 1.5, WCAG 1.1.1): a short question in French that a screen reader reads out and a person
/// answers in a few characters — simple arithmetic written in words, the largest or smallest of three numbers, the
/// letters of a common word, the day or month that comes next. Its <see cref="Answer"/> is already normalised
/// (<see cref="Normalize"/>): digits for a number, lower-case letters without accents for a word.
/// </summary>
public sealed record TextChallenge(string Question, string Answer)
{
    /// <summary>Longest answer even looked at; longer is wrong without hashing.</summary>
    public const int MaxAnswerLength = 64;

    const string InDigits = " Répondez en chiffres.";

    /// <summary>Common, short, unaccented words (so that spelling them is easy to hear), none a palindrome or a number.</summary>
    internal static readonly string[] Words =
    [
        "jardin", "maison", "soleil", "pomme", "livre", "table", "fleur", "route", "porte", "piano",
        "tigre", "lapin", "melon", "sucre", "bateau", "cheval", "nuage", "plume", "carte", "arbre",
        "ville", "chaise", "orange", "lampe", "poisson", "montagne", "train", "farine", "jouet", "balcon",
    ];

    internal static readonly string[] Days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

    internal static readonly string[] Months =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    static readonly string[] Ordinals = ["première", "deuxième", "troisième"];

    /// <summary>How many kinds of question <see cref="Create"/> chooses from.</summary>
    public const int TemplateCount = 10;

    /// <summary>A new challenge, chosen with a cryptographic random generator.</summary>
    public static TextChallenge Create() => Create(RandomNumberGenerator.GetInt32);

    /// <summary>
    /// A challenge chosen with <paramref name="next"/> (<c>next(n)</c> is in [0, n)): tests pass a seeded
    /// generator to explore every template.
    /// </summary>
    public static TextChallenge Create(Func<int, int> next)
    {
        int Between(int min, int max) => min + next(max - min + 1);
        string N(int value) => FrenchNumbers.ToWords(value);
        string Pick(string[] values) => values[next(values.Length)];

        switch (next(TemplateCount))
        {
            case 0:
            case 1:
            {
                int a = Between(1, 9), b = Between(1, 9);
                return Number($"Combien font {N(a)} plus {N(b)} ?{InDigits}", a + b);
            }

            case 2:
            {
                int a = Between(6, 15), b = Between(1, 5);
                return Number($"Combien font {N(a)} moins {N(b)} ?{InDigits}", a - b);
            }

            case 3:
            {
                int[] values = Distinct(next, 3, 1, 20);
                return Number($"Quel est le plus grand de ces trois nombres : {N(values[0])}, {N(values[1])}, {N(values[2])} ?{InDigits}", values.Max());
            }

            case 4:
            {
                int[] values = Distinct(next, 3, 1, 20);
                return Number($"Quel est le plus petit de ces trois nombres : {N(values[0])}, {N(values[1])}, {N(values[2])} ?{InDigits}", values.Min());
            }

            case 5:
            {
                string word = Pick(Words);
                return Number($"Combien de lettres compte le mot « {word} » ?{InDigits}", word.Length);
            }

            case 6:
            {
                string word = Pick(Words);
                return Word($"Écrivez le mot « {word} » à l'envers, de la dernière à la première lettre.", new string(word.Reverse().ToArray()));
            }

            case 7:
            {
                string word = Pick(Words);
                int position = next(Ordinals.Length);
                return Word($"Quelle est la {Ordinals[position]} lettre du mot « {word} » ?", word[position].ToString());
            }

            case 8:
            {
                int day = next(Days.Length);
                return Word($"Quel jour de la semaine vient après {Days[day]} ?", Days[(day + 1) % Days.Length]);
            }

            default:
            {
                int month = next(Months.Length);
                return Word($"Quel mois de l'année vient après {Months[month]} ?", Months[(month + 1) % Months.Length]);
            }
        }
    }

    /// <summary>
    /// The answer as compared: letters and digits only, lower case, without accents (<see cref="Fold"/>); a number
    /// written in words becomes its digits ("Dix-sept" → "17", "09" → "9"). Null when empty, absurdly long or not
    /// well-formed UTF-16. Never throws.
    /// </summary>
    public static string? Normalize(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer) || answer.Length > MaxAnswerLength || !UnicodeText.IsWellFormed(answer))
        {
            return null;
        }

        string folded = Fold(answer);
        if (folded.Length == 0)
        {
            return null;
        }

        return FrenchNumbers.TryParse(folded, out int number) ? number.ToString(CultureInfo.InvariantCulture) : folded;
    }

    /// <summary>Lower case, accents and ligatures undone (é → e, œ → oe), everything but letters and digits dropped.</summary>
    public static string Fold(string text)
    {
        string decomposed = UnicodeText.Normalize(text, NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            switch (c)
            {
                case 'œ' or 'Œ':
                    builder.Append("oe");
                    break;
                case 'æ' or 'Æ':
                    builder.Append("ae");
                    break;
                case 'ß':
                    builder.Append("ss");
                    break;
                default:
                    if (char.IsLetterOrDigit(c))
                    {
                        builder.Append(char.ToLowerInvariant(c));
                    }

                    break;
            }
        }

        return builder.ToString();
    }

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
