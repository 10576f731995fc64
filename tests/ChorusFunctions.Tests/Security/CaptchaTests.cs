using ChorusFunctions.Security.Captcha;

namespace ChorusFunctions.Tests.Security;

public sealed class CaptchaTests
{
    [Fact]
    public void The_font_draws_exactly_the_alphabet_and_the_alphabet_has_no_look_alikes()
    {
        Assert.Equal(ImageCaptchaProvider.Alphabet.Order(), StrokeFont.Characters.Order());
        Assert.Equal(ImageCaptchaProvider.Alphabet.Length, ImageCaptchaProvider.Alphabet.Distinct().Count());
        foreach (char lookAlike in "0O1IL2Z5S8B6GUV7Q")
        {
            Assert.DoesNotContain(lookAlike, ImageCaptchaProvider.Alphabet);
        }
    }

    [Fact]
    public void Rendering_gives_a_png_of_the_expected_size_that_differs_between_draws()
    {
        byte[] first = CaptchaRenderer.RenderPng("ACDEF9");
        byte[] second = CaptchaRenderer.RenderPng("ACDEF9");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, first[..8]);
        Assert.Equal(CaptchaRenderer.Width, ReadBigEndian(first, 16));
        Assert.Equal(CaptchaRenderer.Height, ReadBigEndian(first, 20));
        Assert.NotEqual(first, second);
        Assert.InRange(first.Length, 2_000, 60_000);
    }

    [Fact]
    public void A_seeded_rendering_is_reproducible_and_every_character_renders()
    {
        Assert.Equal(CaptchaRenderer.RenderPng("HJKMNP", seed: 7), CaptchaRenderer.RenderPng("HJKMNP", seed: 7));
        foreach (char c in ImageCaptchaProvider.Alphabet)
        {
            Assert.NotEmpty(CaptchaRenderer.RenderPng(new string(c, 5), seed: c));
        }
    }

    [Theory]
    [InlineData("acd3f", "ACD3F")]
    [InlineData("  AC D3F ", "ACD3F")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Answers_are_compared_case_insensitively_without_spaces(string? answer, string? expected) =>
        Assert.Equal(expected, ImageCaptchaProvider.Normalize(answer));

    [Fact]
    public void Ids_carry_their_expiry_minute_and_128_random_bits()
    {
        var expiresAt = new DateTimeOffset(2026, 11, 25, 14, 30, 10, TimeSpan.Zero);
        string id = CaptchaStore.NewId(expiresAt);
        Assert.True(CaptchaStore.IsWellFormedId(id));
        Assert.StartsWith("202611251431", id, StringComparison.Ordinal);
        Assert.NotEqual(id, CaptchaStore.NewId(expiresAt));
        Assert.False(CaptchaStore.IsWellFormedId(id.ToUpperInvariant()));
        Assert.False(CaptchaStore.IsWellFormedId("20261125143" + "' or 1 eq 1 or '" + new string('a', 17)));
    }

    static int ReadBigEndian(byte[] bytes, int offset) => (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
