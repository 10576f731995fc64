using ChorusFunctions.Cleanup;

namespace ChorusFunctions.Sweep;

public sealed class CleanupTimer(CleanupService cleanup)
{
    [Function(nameof(CleanupTimer))]
    public Task Run(
        [TimerTrigger("%Cleanup__Schedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        cleanup.RunAsync(durable, cancellationToken);
}
