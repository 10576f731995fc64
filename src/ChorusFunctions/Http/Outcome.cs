namespace ChorusFunctions.Http;

/// <summary>A value or the problem that prevented it. Services return it; triggers map it.</summary>
public readonly record struct Outcome<T>
{
    public T? Value { get; private init; }

    public ApiProblem? Problem { get; private init; }

    public bool Succeeded => Problem is null;

    public static implicit operator Outcome<T>(T value) => new() { Value = value };

    public static implicit operator Outcome<T>(ApiProblem problem) => new() { Problem = problem };
}

public static class OutcomeExtensions
{
    /// <summary>The next step on the value, or the first step's problem unchanged.</summary>
    public static async Task<Outcome<TNext>> Then<T, TNext>(this Task<Outcome<T>> first, Func<T, Task<Outcome<TNext>>> next)
    {
        Outcome<T> outcome = await first;
        return outcome.Problem is { } problem ? problem : await next(outcome.Value!);
    }
}
