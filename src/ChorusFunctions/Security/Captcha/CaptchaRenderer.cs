using SkiaSharp;

namespace ChorusFunctions.Security.Captcha;

/// <summary>An answer as a PNG: characters rotated, sheared and scaled at random, bent by two sine waves, over noise in their colours.</summary>
public static class CaptchaRenderer
{
    public const int Width = 220;
    public const int Height = 80;

    public static byte[] RenderPng(string answer, int? seed = null)
    {
        Random random = seed is { } s ? new Random(s) : Random.Shared;
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a surface.");
        SKCanvas canvas = surface.Canvas;

        DrawBackground(canvas, random);
        var wave = new Wave(
            AmplitudeY: Between(random, 3, 6), PeriodX: Between(random, 60, 110), PhaseX: Between(random, 0, MathF.Tau),
            AmplitudeX: Between(random, 1.5f, 3.5f), PeriodY: Between(random, 30, 60), PhaseY: Between(random, 0, MathF.Tau));

        SKColor[] inks = [.. Enumerable.Range(0, 3).Select(_ => Ink(random))];
        DrawNoiseCurves(canvas, random, inks, wave, count: 2, width: 2.2f);
        DrawText(canvas, random, answer, inks, wave);
        DrawNoiseCurves(canvas, random, inks, wave, count: 2, width: 1.6f);
        DrawDots(canvas, random, inks);

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    sealed record Wave(float AmplitudeY, float PeriodX, float PhaseX, float AmplitudeX, float PeriodY, float PhaseY)
    {
        public SKPoint Apply(float x, float y) => new(
            x + (AmplitudeX * MathF.Sin((MathF.Tau * y / PeriodY) + PhaseY)),
            y + (AmplitudeY * MathF.Sin((MathF.Tau * x / PeriodX) + PhaseX)));
    }

    static void DrawBackground(SKCanvas canvas, Random random)
    {
        canvas.Clear(new SKColor((byte)random.Next(235, 256), (byte)random.Next(235, 256), (byte)random.Next(230, 256)));
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        for (int i = 0; i < 14; i++)
        {
            paint.Color = new SKColor((byte)random.Next(190, 240), (byte)random.Next(190, 240), (byte)random.Next(190, 240), (byte)random.Next(60, 140));
            canvas.DrawOval(Between(random, 0, Width), Between(random, 0, Height), Between(random, 8, 40), Between(random, 6, 22), paint);
        }
    }

    static void DrawText(SKCanvas canvas, Random random, string answer, SKColor[] inks, Wave wave)
    {
        float cell = (Width - 24f) / answer.Length;
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round };
        for (int i = 0; i < answer.Length; i++)
        {
            float glyphHeight = Between(random, 32, 42);
            float scale = glyphHeight / StrokeFont.Height;
            float angle = Between(random, -0.28f, 0.28f);
            float shear = Between(random, -0.25f, 0.25f);
            float centerX = 12 + (cell * (i + 0.5f)) + Between(random, -cell * 0.12f, cell * 0.12f);
            float centerY = (Height / 2f) + Between(random, -6, 6);
            (float sin, float cos) = MathF.SinCos(angle);

            paint.Color = inks[random.Next(inks.Length)];
            paint.StrokeWidth = Between(random, 3.0f, 4.2f);
            using var path = new SKPathBuilder();
            foreach ((float X, float Y)[] stroke in StrokeFont.Strokes(char.ToUpperInvariant(answer[i])))
            {
                SKPoint Place((float X, float Y) p)
                {
                    float x = (p.X - (StrokeFont.Width / 2)) * scale * Between(random, 0.97f, 1.03f);
                    float y = (p.Y - (StrokeFont.Height / 2)) * scale;
                    x += shear * y;
                    return new SKPoint(centerX + (x * cos) - (y * sin), centerY + (x * sin) + (y * cos));
                }

                AddBent(path, stroke.Select(Place).ToArray(), wave);
            }

            using SKPath glyph = path.Detach();
            canvas.DrawPath(glyph, paint);
        }
    }

    static void DrawNoiseCurves(SKCanvas canvas, Random random, SKColor[] inks, Wave wave, int count, float width)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, StrokeWidth = width };
        for (int i = 0; i < count; i++)
        {
            paint.Color = inks[random.Next(inks.Length)].WithAlpha((byte)random.Next(150, 230));
            SKPoint[] points =
            [
                new(Between(random, -10, 20), Between(random, 10, Height - 10)),
                new(Between(random, 40, 100), Between(random, -20, Height + 20)),
                new(Between(random, 120, 180), Between(random, -20, Height + 20)),
                new(Between(random, Width - 20, Width + 10), Between(random, 10, Height - 10)),
            ];
            using var path = new SKPathBuilder();
            AddBent(path, Bezier(points, 40), wave);
            using SKPath curve = path.Detach();
            canvas.DrawPath(curve, paint);
        }
    }

    static void DrawDots(SKCanvas canvas, Random random, SKColor[] inks)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        for (int i = 0; i < 260; i++)
        {
            paint.Color = random.Next(3) == 0 ? inks[random.Next(inks.Length)] : new SKColor((byte)random.Next(80, 200), (byte)random.Next(80, 200), (byte)random.Next(80, 200));
            canvas.DrawCircle(Between(random, 0, Width), Between(random, 0, Height), Between(random, 0.6f, 1.8f), paint);
        }
    }

    /// <summary>Adds a polyline, cut into short steps first so that the wave bends even straight strokes.</summary>
    static void AddBent(SKPathBuilder path, SKPoint[] points, Wave wave)
    {
        path.MoveTo(wave.Apply(points[0].X, points[0].Y));
        foreach ((SKPoint from, SKPoint to) in points.Zip(points.Skip(1)))
        {
            int steps = Math.Max(1, (int)(SKPoint.Distance(from, to) / 3));
            for (int step = 1; step <= steps; step++)
            {
                float t = (float)step / steps;
                path.LineTo(wave.Apply(from.X + ((to.X - from.X) * t), from.Y + ((to.Y - from.Y) * t)));
            }
        }
    }

    static SKPoint[] Bezier(SKPoint[] p, int steps) => [.. Enumerable.Range(0, steps + 1).Select(i =>
    {
        float t = (float)i / steps;
        float u = 1 - t;
        return new SKPoint(
            (u * u * u * p[0].X) + (3 * u * u * t * p[1].X) + (3 * u * t * t * p[2].X) + (t * t * t * p[3].X),
            (u * u * u * p[0].Y) + (3 * u * u * t * p[1].Y) + (3 * u * t * t * p[2].Y) + (t * t * t * p[3].Y));
    })];

    static SKColor Ink(Random random) => new((byte)random.Next(10, 110), (byte)random.Next(10, 90), (byte)random.Next(40, 140));

    static float Between(Random random, float min, float max) => min + ((float)random.NextDouble() * (max - min));
}
