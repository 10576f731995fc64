namespace ChorusFunctions.Security.Captcha;

/// <summary>
/// The captcha's own single-stroke font: each character of <see cref="ImageCaptchaProvider.Alphabet"/> as
/// polylines on a 4 × 6 grid (x right, y down). Drawing paths rather than text needs no installed font, so the
/// captcha renders the same on any machine, and the strokes can be bent point by point.
/// </summary>
public static class StrokeFont
{
    public const float Width = 4;
    public const float Height = 6;

    static readonly Dictionary<char, (float X, float Y)[][]> Glyphs = new()
    {
        ['A'] = [[(0, 6), (2, 0), (4, 6)], [(0.8f, 4), (3.2f, 4)]],
        ['C'] = [[(4, 1), (3, 0), (1, 0), (0, 1), (0, 5), (1, 6), (3, 6), (4, 5)]],
        ['D'] = [[(0, 0), (0, 6), (2.4f, 6), (4, 4.4f), (4, 1.6f), (2.4f, 0), (0, 0)]],
        ['E'] = [[(4, 0), (0, 0), (0, 6), (4, 6)], [(0, 3), (3, 3)]],
        ['F'] = [[(4, 0), (0, 0), (0, 6)], [(0, 3), (3, 3)]],
        ['H'] = [[(0, 0), (0, 6)], [(4, 0), (4, 6)], [(0, 3), (4, 3)]],
        ['J'] = [[(1, 0), (4, 0)], [(3, 0), (3, 5), (2, 6), (1, 6), (0, 5)]],
        ['K'] = [[(0, 0), (0, 6)], [(4, 0), (0, 3.6f)], [(1.3f, 2.6f), (4, 6)]],
        ['M'] = [[(0, 6), (0, 0), (2, 3.6f), (4, 0), (4, 6)]],
        ['N'] = [[(0, 6), (0, 0), (4, 6), (4, 0)]],
        ['P'] = [[(0, 6), (0, 0), (3, 0), (4, 1), (4, 2), (3, 3), (0, 3)]],
        ['R'] = [[(0, 6), (0, 0), (3, 0), (4, 1), (4, 2), (3, 3), (0, 3)], [(2, 3), (4, 6)]],
        ['T'] = [[(0, 0), (4, 0)], [(2, 0), (2, 6)]],
        ['W'] = [[(0, 0), (1, 6), (2, 2.4f), (3, 6), (4, 0)]],
        ['X'] = [[(0, 0), (4, 6)], [(4, 0), (0, 6)]],
        ['Y'] = [[(0, 0), (2, 3)], [(4, 0), (2, 3), (2, 6)]],
        ['3'] = [[(0, 1), (1, 0), (3, 0), (4, 1), (4, 2), (3, 3), (1.5f, 3)], [(3, 3), (4, 4), (4, 5), (3, 6), (1, 6), (0, 5)]],
        ['4'] = [[(3, 6), (3, 0), (0, 4), (4, 4)]],
        ['9'] = [[(4, 3), (1, 3), (0, 2), (0, 1), (1, 0), (3, 0), (4, 1), (4, 5), (3, 6), (1, 6), (0, 5)]],
    };

    public static IReadOnlyCollection<char> Characters => Glyphs.Keys;

    /// <summary>The strokes of <paramref name="c"/> (upper case); throws for a character the font does not draw.</summary>
    public static (float X, float Y)[][] Strokes(char c) =>
        Glyphs.TryGetValue(c, out (float X, float Y)[][]? strokes) ? strokes : throw new ArgumentOutOfRangeException(nameof(c), c, "Not in the captcha alphabet.");
}
