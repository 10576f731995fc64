using ChorusFunctions.Testing;

namespace ChorusFunctions.IntegrationTests;

/// <summary>One local stack (Azurite + smtp4dev + local host) shared by the tests of a class, with default settings.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    public LocalStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await LocalStack.StartAsync();

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}
