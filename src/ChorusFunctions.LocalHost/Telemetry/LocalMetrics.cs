using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ChorusFunctions.Telemetry;

namespace ChorusFunctions.LocalHost.Telemetry;

/// <summary>
/// What the product's meter recorded since the local host started, for <c>GET /local/metrics</c> — the local
/// stand-in for the Azure Monitor metrics the Functions host exports.
/// </summary>
public sealed class LocalMetrics : IDisposable
{
    readonly MeterListener listener = new();
    readonly ConcurrentDictionary<string, Aggregate> aggregates = new(StringComparer.Ordinal);

    public LocalMetrics(IMeterFactory meterFactory)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: tests run several hosts in one process.
            if (instrument.Meter.Name == SignupMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        listener.Start();
    }

    public sealed record InstrumentSnapshot(string Name, string? Unit, string? Description, long Count, double Sum, double? Min, double? Max);

    public IReadOnlyList<InstrumentSnapshot> Snapshot() =>
        aggregates.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Value.ToSnapshot(a.Key)).ToList();

    void Record(Instrument instrument, double value) =>
        aggregates.GetOrAdd(instrument.Name, _ => new Aggregate(instrument.Unit, instrument.Description)).Add(value);

    public void Dispose() => listener.Dispose();

    sealed class Aggregate(string? unit, string? description)
    {
        readonly Lock gate = new();
        long count;
        double sum;
        double? min;
        double? max;

        public void Add(double value)
        {
            lock (gate)
            {
                count++;
                sum += value;
                min = min is null ? value : Math.Min(min.Value, value);
                max = max is null ? value : Math.Max(max.Value, value);
            }
        }

        public InstrumentSnapshot ToSnapshot(string name)
        {
            lock (gate)
            {
                return new InstrumentSnapshot(name, unit, description, count, sum, min, max);
            }
        }
    }
}
