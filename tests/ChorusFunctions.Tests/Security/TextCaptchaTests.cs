using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ChorusFunctions.Security;
using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Signup;
using ChorusFunctions.Storage;
using ChorusFunctions.Testing;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChorusFunctions.Tests.Security;

/// <summary>
/// The text alternative to the image captcha: the question generator, the answer's normalisation, and the
/// provider issuing and checking text challenges on real tables (Azurite).
/// </summary>
public sealed partial class TextCaptchaTests
{
    const int Iterations = 5_000;

    /// <summary>Seeds a deterministic generator: every template, every word, every operand gets explored.</summary>
    static readonly Gen<TextChallenge> Challenge = Gen.Int.Select(seed => TextChallenge.Create(new Random(seed).Next));

    // The test's own tables, so that the solver below restates the questions independently of the code under test.
    static readonly string[] SmallNumbers =
    [
        "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
        "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf", "vingt",
    ];

    static readonly string[] WeekDays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

    static readonly string[] YearMonths =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    [Fact]
    public void Every_generated_question_is_answered_by_its_expected_answer() =>
        Challenge.Sample(challenge =>
        {
            Assert.Equal(Solve(challenge.Question), challenge.Answer);
            Assert.Equal(challenge.Answer, TextChallenge.Normalize(challenge.Answer));
        }, iter: Iterations);

    [Fact]
    public void Questions_are_short_plain_french_with_numbers_written_in_words() =>
        Challenge.Sample(challenge =>
        {
            Assert.InRange(challenge.Question.Length, 20, 140);
            Assert.DoesNotContain(challenge.Question, char.IsDigit);
            Assert.DoesNotContain(challenge.Question, c => c is '<' or '>' or '&' || char.IsControl(c));
            Assert.Matches(@"[?.]$", challenge.Question);
            Assert.InRange(challenge.Answer.Length, 1, 12);
            Assert.Matches("^([0-9]+|[a-z]+)$", challenge.Answer);
        }, iter: Iterations);

    [Fact]
    public void Questions_vary_over_every_template()
    {
        var questions = new HashSet<string>(StringComparer.Ordinal);
        var templates = new HashSet<string>(StringComparer.Ordinal);
        var answers = new HashSet<string>(StringComparer.Ordinal);
        for (int seed = 0; seed < 3_000; seed++)
        {
            TextChallenge challenge = TextChallenge.Create(new Random(seed).Next);
            questions.Add(challenge.Question);
            templates.Add(Template(challenge.Question));
            answers.Add(challenge.Answer);
        }

        Assert.Equal(9, templates.Count);
        Assert.True(questions.Count > 500, $"only {questions.Count} different questions");
        Assert.True(answers.Count > 60, $"only {answers.Count} different answers");
    }

    [Fact]
    public void Numbers_may_be_answered_in_digits_or_in_words_and_words_without_case_accents_or_spaces() =>
        Challenge.Sample(challenge =>
        {
            string answer = challenge.Answer;
            if (int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                string words = SmallNumbers[number];
                foreach (string typed in new[] { words, words.ToUpperInvariant(), words.Replace('-', ' '), " " + answer + " ", "0" + answer, answer + "." })
                {
                    Assert.Equal(answer, TextChallenge.Normalize(typed));
                }
            }
            else
            {
                Assert.False(FrenchNumbers.TryParse(answer, out _), $"the word answer {answer} reads as a number");
                string spaced = string.Join(' ', answer.ToUpperInvariant().ToCharArray());
                foreach (string typed in new[] { answer.ToUpperInvariant(), "  " + spaced + " ", Accented(answer) })
                {
                    Assert.Equal(answer, TextChallenge.Normalize(typed));
                }
            }
        }, iter: Iterations);

    [Fact]
    public void Wrong_answers_do_not_normalise_to_the_expected_one() =>
        Gen.Select(Challenge, Gen.Int[1, 30], AdversarialInput.NullableText).Sample((challenge, offset, random) =>
        {
            string answer = challenge.Answer;
            if (int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                int other = (number + offset) % 21;
                if (other != number)
                {
                    Assert.NotEqual(answer, TextChallenge.Normalize(other.ToString(CultureInfo.InvariantCulture)));
                    Assert.NotEqual(answer, TextChallenge.Normalize(SmallNumbers[other]));
                }

                Assert.NotEqual(answer, TextChallenge.Normalize(answer + "1"));
            }
            else
            {
                Assert.NotEqual(answer, TextChallenge.Normalize(answer + "s"));
                Assert.NotEqual(answer, TextChallenge.Normalize(answer[..^1]));
            }

            // Any other text matches only when it is the answer up to case, accents, spaces and punctuation, or the
            // number in words.
            if (TextChallenge.Normalize(random) == answer)
            {
                string folded = TextChallenge.Fold(random!);
                Assert.True(folded == answer || (FrenchNumbers.TryParse(folded, out int n) && n.ToString(CultureInfo.InvariantCulture) == answer), random);
            }
        }, iter: Iterations);

    [Theory]
    [InlineData("9", "9")]
    [InlineData(" 09 ", "9")]
    [InlineData("neuf", "9")]
    [InlineData("NEUF.", "9")]
    [InlineData("Dix-sept", "17")]
    [InlineData("dix sept", "17")]
    [InlineData("vingt et un", "21")]
    [InlineData("Vingt-et-un", "21")]
    [InlineData("soixante et onze", "71")]
    [InlineData("septante et un", "71")]
    [InlineData("quatre-vingts", "80")]
    [InlineData("huitante", "80")]
    [InlineData("quatre-vingt-dix-sept", "97")]
    [InlineData("nonante-sept", "97")]
    [InlineData("cent", "100")]
    [InlineData("１７", "17")]
    [InlineData("101", "101")]
    [InlineData("Mercredi", "mercredi")]
    [InlineData("AOÛT", "aout")]
    [InlineData(" n i d r a j ", "nidraj")]
    [InlineData("Œuf", "oeuf")]
    [InlineData("l'œil", "loeil")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("?!", null)]
    [InlineData(null, null)]
    public void Answers_are_normalised_for_comparison(string? typed, string? expected) =>
        Assert.Equal(expected, TextChallenge.Normalize(typed));

    [Fact]
    public void Absurdly_long_or_ill_formed_answers_are_wrong_without_being_looked_at()
    {
        Assert.Null(TextChallenge.Normalize(new string('9', TextChallenge.MaxAnswerLength + 1)));
        Assert.Null(TextChallenge.Normalize("\ud800neuf"));
        Assert.Null(TextChallenge.Normalize("neuf\udc00"));
    }

    [Fact]
    public void French_numbers_round_trip_from_zero_to_one_hundred()
    {
        for (int n = 0; n <= FrenchNumbers.Max; n++)
        {
            string words = FrenchNumbers.ToWords(n);
            Assert.True(FrenchNumbers.TryParse(TextChallenge.Fold(words), out int parsed), words);
            Assert.Equal(n, parsed);
            Assert.True(FrenchNumbers.TryParse(n.ToString(CultureInfo.InvariantCulture), out parsed));
            Assert.Equal(n, parsed);
        }

        Assert.Equal("vingt et un", FrenchNumbers.ToWords(21));
        Assert.Equal("soixante-dix-sept", FrenchNumbers.ToWords(77));
        Assert.Equal("quatre-vingt-un", FrenchNumbers.ToWords(81));
        Assert.False(FrenchNumbers.TryParse("jardin", out _));
        Assert.False(FrenchNumbers.TryParse("1234567890", out _));
    }

    [Fact]
    public void Normalising_any_text_never_throws_and_keeps_only_lower_case_letters_and_digits() =>
        AdversarialInput.NullableText.Sample(answer =>
        {
            if (TextChallenge.Normalize(answer) is { } normalized)
            {
                Assert.NotEmpty(normalized);
                Assert.All(normalized, c => Assert.True(char.IsLetterOrDigit(c) && !char.IsUpper(c), $"U+{(int)c:X4}"));
            }
        }, iter: 3_000);

    [Fact]
    public async Task The_provider_checks_text_answers_once_in_any_accepted_form_and_stores_only_a_hash()
    {
        (ImageCaptchaProvider provider, TableClient table) = await ProviderAsync();
        var issued = new Dictionary<string, string>();
        provider.AnswerIssued += (id, answer) => issued[id] = answer;

        for (int i = 0; i < 40; i++)
        {
            CaptchaChallenge challenge = await provider.CreateAsync(CaptchaKind.Text, default);
            Assert.True(challenge.Required);
            Assert.Null(challenge.Image);
            Assert.False(string.IsNullOrWhiteSpace(challenge.Question));
            Assert.True(CaptchaStore.IsWellFormedId(challenge.Id));
            string answer = issued[challenge.Id!];
            Assert.Equal(Solve(challenge.Question!), answer);

            TableEntity row = (await table.GetEntityAsync<TableEntity>(challenge.Id![..12], challenge.Id[12..])).Value;
            Assert.Equal("Text", row.GetString(nameof(CaptchaEntity.Kind)));
            Assert.Equal(32, Convert.FromBase64String(row.GetString(nameof(CaptchaEntity.AnswerHash))).Length);
            Assert.DoesNotContain(row, property => property.Value is string text && (text == answer || text.Contains(challenge.Question!, StringComparison.Ordinal)));

            // Typed as a person would: upper case, spaced, a number in words.
            string typed = int.TryParse(answer, out int number) ? SmallNumbers[number].ToUpperInvariant() : " " + answer.ToUpperInvariant() + " ";
            Assert.True(await provider.VerifyAsync(challenge.Id, typed, default), $"{challenge.Question} → {typed}");

            // Single use: the right answer again is refused.
            Assert.False(await provider.VerifyAsync(challenge.Id, answer, default));
        }

        // One question, one try: a wrong answer spends it.
        CaptchaChallenge spent = await provider.CreateAsync(CaptchaKind.Text, default);
        Assert.False(await provider.VerifyAsync(spent.Id, issued[spent.Id!] + "0", default));
        Assert.False(await provider.VerifyAsync(spent.Id, issued[spent.Id!], default));

        // An image's answer is not normalised as a question's (and the other way round).
        CaptchaChallenge image = await provider.CreateAsync(CaptchaKind.Image, default);
        Assert.NotNull(image.Image);
        Assert.Null(image.Question);
        Assert.Equal("Image", (await table.GetEntityAsync<TableEntity>(image.Id![..12], image.Id[12..])).Value.GetString("Kind"));
        Assert.True(await provider.VerifyAsync(image.Id, issued[image.Id!].ToLowerInvariant(), default));
    }

    [Fact]
    public async Task An_expired_text_challenge_is_refused()
    {
        (ImageCaptchaProvider provider, TableClient table) = await ProviderAsync();
        string? answer = null;
        provider.AnswerIssued += (_, a) => answer = a;
        CaptchaChallenge challenge = await provider.CreateAsync(CaptchaKind.Text, default);
        CaptchaEntity row = (await table.GetEntityAsync<CaptchaEntity>(challenge.Id![..12], challenge.Id[12..])).Value;
        row.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await table.UpdateEntityAsync(row, row.ETag);
        Assert.False(await provider.VerifyAsync(challenge.Id, answer, default));
    }

    [Theory]
    [InlineData(null, true, CaptchaKind.Image)]
    [InlineData("image", true, CaptchaKind.Image)]
    [InlineData("text", true, CaptchaKind.Text)]
    [InlineData("", false, CaptchaKind.Image)]
    [InlineData("Text", false, CaptchaKind.Image)]
    [InlineData("audio", false, CaptchaKind.Image)]
    [InlineData("text ", false, CaptchaKind.Image)]
    public void The_kind_parameter_is_image_by_default_and_text_on_request(string? value, bool valid, CaptchaKind expected)
    {
        Assert.Equal(valid, CaptchaKinds.TryParse(value is null ? default : new Microsoft.Extensions.Primitives.StringValues(value), out CaptchaKind kind));
        Assert.Equal(expected, kind);
        Assert.False(CaptchaKinds.TryParse(new Microsoft.Extensions.Primitives.StringValues(["text", "text"]), out _));
    }

    static async Task<(ImageCaptchaProvider Provider, TableClient Table)> ProviderAsync()
    {
        Azurite azurite = await Azurite.SharedAsync();
        var tables = new TableClients(new TableServiceClient(azurite.ConnectionString), Microsoft.Extensions.Options.Options.Create(new StorageOptions()));
        TableClient table = tables.Get(TableNames.Captchas);
        await table.CreateIfNotExistsAsync();
        var keys = new SecurityKeys(Options.Create(new SecurityOptions { TokenKey = LocalStack.TestTokenKey }));
        var provider = new ImageCaptchaProvider(new CaptchaStore(tables), keys, Options.Create(new CaptchaOptions()), TimeProvider.System, NullLogger<ImageCaptchaProvider>.Instance);
        return (provider, table);
    }

    /// <summary>Answers a question as a reader would, from the question alone.</summary>
    static string Solve(string question)
    {
        int Number(string words) => Array.IndexOf(SmallNumbers, words) is >= 0 and var n ? n : throw new InvalidOperationException($"not a small number: {words}");

        if (Sum().Match(question) is { Success: true } sum)
        {
            return (Number(sum.Groups[1].Value) + Number(sum.Groups[2].Value)).ToString(CultureInfo.InvariantCulture);
        }

        if (Difference().Match(question) is { Success: true } difference)
        {
            return (Number(difference.Groups[1].Value) - Number(difference.Groups[2].Value)).ToString(CultureInfo.InvariantCulture);
        }

        if (Extreme().Match(question) is { Success: true } extreme)
        {
            int[] values = extreme.Groups[2].Value.Split(", ").Select(Number).ToArray();
            Assert.Equal(3, values.Distinct().Count());
            return (extreme.Groups[1].Value == "grand" ? values.Max() : values.Min()).ToString(CultureInfo.InvariantCulture);
        }

        if (LetterCount().Match(question) is { Success: true } count)
        {
            return count.Groups[1].Value.Length.ToString(CultureInfo.InvariantCulture);
        }

        if (Reversed().Match(question) is { Success: true } reversed)
        {
            return new string(reversed.Groups[1].Value.Reverse().ToArray());
        }

        if (Letter().Match(question) is { Success: true } letter)
        {
            int position = Array.IndexOf(["première", "deuxième", "troisième"], letter.Groups[1].Value);
            return letter.Groups[2].Value[position].ToString();
        }

        if (NextDay().Match(question) is { Success: true } day)
        {
            return WeekDays[(Array.IndexOf(WeekDays, day.Groups[1].Value) + 1) % 7];
        }

        if (NextMonth().Match(question) is { Success: true } month)
        {
            string next = YearMonths[(Array.IndexOf(YearMonths, month.Groups[1].Value) + 1) % 12];
            return next.Replace('é', 'e').Replace('û', 'u');
        }

        throw new InvalidOperationException("A question the test cannot read: " + question);
    }

    static string Template(string question) =>
        Sum().IsMatch(question) ? "sum" : Difference().IsMatch(question) ? "difference"
        : Extreme().Match(question) is { Success: true } m ? "extreme-" + m.Groups[1].Value
        : LetterCount().IsMatch(question) ? "count" : Reversed().IsMatch(question) ? "reversed" : Letter().IsMatch(question) ? "letter"
        : NextDay().IsMatch(question) ? "day" : NextMonth().IsMatch(question) ? "month" : "unknown";

    /// <summary>The answer with an accent on its first vowel (e → é, a → à…), as some people type.</summary>
    static string Accented(string answer)
    {
        int i = answer.IndexOfAny(['a', 'e', 'i', 'o', 'u']);
        return i < 0 ? answer : answer[..i] + answer[i] switch { 'a' => 'à', 'e' => 'é', 'i' => 'î', 'o' => 'ô', _ => 'ù' } + answer[(i + 1)..];
    }

    [GeneratedRegex("^Combien font ([a-zé-]+) plus ([a-zé-]+) \\? Répondez en chiffres\\.$")]
    private static partial Regex Sum();

    [GeneratedRegex("^Combien font ([a-zé-]+) moins ([a-zé-]+) \\? Répondez en chiffres\\.$")]
    private static partial Regex Difference();

    [GeneratedRegex("^Quel est le plus (grand|petit) de ces trois nombres : ([a-zé, -]+) \\? Répondez en chiffres\\.$")]
    private static partial Regex Extreme();

    [GeneratedRegex("^Combien de lettres compte le mot « ([a-z]+) » \\? Répondez en chiffres\\.$")]
    private static partial Regex LetterCount();

    [GeneratedRegex("^Écrivez le mot « ([a-z]+) » à l'envers, de la dernière à la première lettre\\.$")]
    private static partial Regex Reversed();

    [GeneratedRegex("^Quelle est la (première|deuxième|troisième) lettre du mot « ([a-z]+) » \\?$")]
    private static partial Regex Letter();

    [GeneratedRegex("^Quel jour de la semaine vient après ([a-z]+) \\?$")]
    private static partial Regex NextDay();

    [GeneratedRegex("^Quel mois de l'année vient après ([a-zéû]+) \\?$")]
    private static partial Regex NextMonth();
}
