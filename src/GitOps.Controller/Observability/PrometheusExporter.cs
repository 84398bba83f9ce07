using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace GitOps.Controller.Observability;

/// <summary>
/// A small Prometheus text-format (0.0.4) exposition over a MeterListener that listens to one Meter only.
/// Counters and histograms are aggregated as measurements arrive; observable instruments are read at scrape time.
/// (prometheus-net drags in old Microsoft.Extensions packages, and OpenTelemetry's exporter is prerelease.)
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    // Seconds: from a fast in-memory compare to a slow first sync of a large app.
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Lock gate = new();
    private readonly MeterListener listener = new();
    private readonly Dictionary<Instrument, Family> families = new();

    public PrometheusExporter(ControllerMetrics metrics)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (!ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                return;
            }

            lock (gate)
            {
                families[instrument] = new Family(instrument);
            }

            l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    public string ContentType => "text/plain; version=0.0.4; charset=utf-8";

    public string Scrape()
    {
        lock (gate)
        {
            // Observable instruments report current values: forget the previous scrape's series first.
            foreach (var family in families.Values.Where(f => f.Instrument.IsObservable))
            {
                family.Series.Clear();
            }
        }

        listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (gate)
        {
            foreach (var family in families.Values.OrderBy(f => f.Instrument.Name, StringComparer.Ordinal))
            {
                family.Write(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (gate)
        {
            if (!families.TryGetValue(instrument, out var family))
            {
                return;
            }

            if (!family.Series.TryGetValue(labels, out var series))
            {
                series = family.Series[labels] = new Series(instrument is Histogram<double> ? new long[Buckets.Length] : null);
            }

            switch (instrument)
            {
                case Histogram<double>:
                    series.Count++;
                    series.Value += value;
                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        if (value <= Buckets[i])
                        {
                            series.Buckets![i]++;
                        }
                    }

                    break;
                case Counter<long> or Counter<double>:
                    series.Value += value;
                    break;
                default:
                    // Observable counters report totals; gauges report the current value.
                    series.Value = value;
                    break;
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<KeyValuePair<string, object?>>(tags.ToArray());
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(",", pairs.Select(p => $"{p.Key}=\"{Escape(Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "")}\""));
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private sealed class Series(long[]? buckets)
    {
        public long[]? Buckets { get; } = buckets;

        public double Value { get; set; }

        public long Count { get; set; }
    }

    private sealed class Family(Instrument instrument)
    {
        public Instrument Instrument { get; } = instrument;

        public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        public void Write(StringBuilder text)
        {
            var name = Instrument.Name;
            var type = Instrument switch
            {
                Histogram<double> => "histogram",
                Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
                _ => "gauge",
            };
            text.Append("# HELP ").Append(name).Append(' ').Append(Instrument.Description?.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, series) in Series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (series.Buckets is { } buckets)
                {
                    var sep = labels.Length > 0 ? "," : "";
                    for (var i = 0; i < buckets.Length; i++)
                    {
                        text.Append(name).Append("_bucket{").Append(labels).Append(sep).Append("le=\"")
                            .Append(Number(PrometheusExporter.Buckets[i])).Append("\"} ").Append(buckets[i]).Append('\n');
                    }

                    text.Append(name).Append("_bucket{").Append(labels).Append(sep).Append("le=\"+Inf\"} ").Append(series.Count).Append('\n');
                    text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(series.Value)).Append('\n');
                    text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count).Append('\n');
                }
                else
                {
                    text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(series.Value)).Append('\n');
                }
            }
        }

        private static string Braces(string labels) => labels.Length > 0 ? "{" + labels + "}" : "";
    }
}
