using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.RateLimits;

namespace ChorusFunctions.Security;

/// <summary>Deletes expired captchas, ended rate-limit windows and lapsed marks. The audit trail is never cleaned.</summary>
public sealed partial class SecurityCleanup(CaptchaStore captchas, RateCounterStore counters, SecurityMarkStore marks, TimeProvider time, ILogger<SecurityCleanup> logger)
{
    const int MaxPerRun = 5_000;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        int captchasDeleted = await captchas.DeleteExpiredAsync(now, MaxPerRun, cancellationToken);
        int countersDeleted = await counters.DeleteEndedAsync(now, MaxPerRun, cancellationToken);
        int marksDeleted = await marks.DeleteLapsedAsync(now, MaxPerRun, cancellationToken);
        if (captchasDeleted + countersDeleted + marksDeleted > 0)
        {
            LogCleaned(captchasDeleted, countersDeleted, marksDeleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Security cleanup: {Captchas} captchas, {Counters} counters, {Marks} marks deleted")]
    partial void LogCleaned(int captchas, int counters, int marks);
}

/// <summary>Runs on the cleanup's schedule (<c>Cleanup__Schedule</c>).</summary>
public sealed class SecurityCleanupTimer(SecurityCleanup cleanup)
{
    [Function(nameof(SecurityCleanupTimer))]
    public Task Run([TimerTrigger("%Cleanup__Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanup.RunAsync(cancellationToken);
}
