using ChorusFunctions.Security.Captcha;
using ChorusFunctions.Security.RateLimits;

namespace ChorusFunctions.Security;

public sealed record SecurityCleanupReport(int CaptchasDeleted, int CountersDeleted, int MarksDeleted);

/// <summary>Deletes expired captchas, ended rate-limit windows and lapsed marks. The audit trail is never cleaned.</summary>
public sealed partial class SecurityCleanup(CaptchaStore captchas, RateCounterStore counters, SecurityMarkStore marks, TimeProvider time, ILogger<SecurityCleanup> logger)
{
    const int MaxPerRun = 5_000;

    public async Task<SecurityCleanupReport> RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        var report = new SecurityCleanupReport(
            await captchas.DeleteExpiredAsync(now, MaxPerRun, cancellationToken),
            await counters.DeleteEndedAsync(now, MaxPerRun, cancellationToken),
            await marks.DeleteLapsedAsync(now, MaxPerRun, cancellationToken));
        if (report.CaptchasDeleted + report.CountersDeleted + report.MarksDeleted > 0)
        {
            LogCleaned(report.CaptchasDeleted, report.CountersDeleted, report.MarksDeleted);
        }

        return report;
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
