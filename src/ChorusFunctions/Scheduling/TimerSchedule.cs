using NCrontab;

namespace ChorusFunctions.Scheduling;

/// <summary>
/// Timer schedules read as the Functions timer trigger reads them — NCrontab, with a seconds field unless the
/// expression has exactly five fields — so a schedule that passes start-up validation, or runs on the local host,
/// is one the Functions host accepts at indexing.
/// </summary>
public static class TimerSchedule
{
    public static CrontabSchedule? TryParse(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return null;
        }

        bool includingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5;
        return CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = includingSeconds });
    }

    public static CrontabSchedule Parse(string expression) =>
        TryParse(expression) ?? throw new FormatException($"'{expression}' is not an NCRONTAB schedule.");
}
