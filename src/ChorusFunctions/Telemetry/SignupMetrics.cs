using System.Diagnostics.Metrics;

namespace ChorusFunctions.Telemetry;

/// <summary>The product's metrics (OpenTelemetry in Azure, <c>/local/metrics</c> locally), once per signup, by whichever actor made the change.</summary>
public sealed class SignupMetrics
{
    public const string MeterName = "ChorusFunctions";

    readonly Counter<long> started;
    readonly Counter<long> activated;
    readonly Counter<long> expired;
    readonly Counter<long> cancelled;
    readonly Counter<long> emailFailures;
    readonly Counter<long> repairs;
    readonly Counter<long> refusals;
    readonly Histogram<double> timeToActivation;

    public SignupMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        started = meter.CreateCounter<long>("chorus.signups.started", "{signup}", "Signups started (step 1 accepted).");
        activated = meter.CreateCounter<long>("chorus.signups.activated", "{signup}", "Signups whose account became active.");
        expired = meter.CreateCounter<long>("chorus.signups.expired", "{signup}", "Signups that reached a deadline and were released.");
        cancelled = meter.CreateCounter<long>("chorus.signups.cancelled", "{signup}", "Signups abandoned or deactivated by their user.");
        emailFailures = meter.CreateCounter<long>("chorus.emails.failed", "{email}", "Emails given up on after every retry.");
        repairs = meter.CreateCounter<long>("chorus.signups.repaired", "{signup}", "Signups moved to a new orchestration because theirs failed, vanished or stalled.");
        refusals = meter.CreateCounter<long>("chorus.requests.rate_limited", "{request}", "Requests refused with 429 by a rate limit or a signup's lifetime cap on links, by policy.");
        timeToActivation = meter.CreateHistogram<double>("chorus.signups.time_to_activation", "s", "Time from step 1 to an active account.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600] });
    }

    public void SignupStarted(string identifierType) => started.Add(1, new KeyValuePair<string, object?>("identifier_type", identifierType));

    public void SignupActivated(TimeSpan sinceStart)
    {
        activated.Add(1);
        timeToActivation.Record(Math.Max(0, sinceStart.TotalSeconds));
    }

    public void SignupExpired(string step) => expired.Add(1, new KeyValuePair<string, object?>("step", step));

    public void SignupCancelled(string step) => cancelled.Add(1, new KeyValuePair<string, object?>("step", step));

    public void EmailFailed(string purpose) => emailFailures.Add(1, new KeyValuePair<string, object?>("purpose", purpose));

    public void RateLimited(string policy) => refusals.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public void SignupRepaired(string reason) => repairs.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
