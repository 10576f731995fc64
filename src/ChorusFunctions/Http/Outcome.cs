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
