// Deliberately bad references for LayerTests: each Low type reaches High in one way a `using` grep would miss.
#pragma warning disable CA1822, CA1812, IDE0051, IDE0059

namespace LayerFixture
{
    public sealed class Root;
}

namespace LayerFixture.High
{
    public sealed class Top
    {
        public static int Value => 1;

        // Down is allowed.
        public Low.InLambda? Below { get; set; }
    }
}

namespace LayerFixture.Side
{
    public sealed class Beside;
}

namespace LayerFixture.Low
{
    public sealed class InLambda
    {
        public static int Count()
        {
            Func<int> read = () => High.Top.Value;
            return read();
        }
    }

    public sealed class InAsyncMethod
    {
        public static async Task<int> CountAsync()
        {
            await Task.Yield();
            return High.Top.Value;
        }
    }

    public sealed class InLocalOnly
    {
        public static bool Make()
        {
            var top = new High.Top();
            return top.Below is null;
        }
    }

    public sealed class InTypeCheck
    {
        public static bool Is(object value) => value is High.Top;
    }

    public sealed class InGenericField
    {
        public List<High.Top> Items { get; } = [];
    }

    public sealed class InSibling
    {
        public static string Name() => nameof(Side.Beside) + typeof(Side.Beside).Name;
    }

    public sealed class Clean
    {
        public static int Count() => 0;
    }
}
