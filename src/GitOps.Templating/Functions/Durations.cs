using System.Globalization;

using GitOps.Primitives;

namespace GitOps.Templating.Functions;

/// <summary>Helm 4's duration helpers: a value is seconds (number or numeric string) or a Go duration string;
/// anything invalid or out of range is zero.</summary>
internal static class Durations
{
    public static void Register(IDictionary<string, GoFunction> t)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("durationSeconds", "a", (_, a) => ToNs(a[0]) / 1e9);
        Add("durationMilliseconds", "a", (_, a) => ToNs(a[0]) / 1_000_000);
        Add("durationMicroseconds", "a", (_, a) => ToNs(a[0]) / 1_000);
        Add("durationNanoseconds", "a", (_, a) => ToNs(a[0]));
        Add("durationMinutes", "a", (_, a) => ToNs(a[0]) / 60e9);
        Add("durationHours", "a", (_, a) => ToNs(a[0]) / 3600e9);
        Add("durationDays", "a", (_, a) => ToNs(a[0]) / 86400e9);
        Add("durationWeeks", "a", (_, a) => ToNs(a[0]) / 604800e9);
        Add("durationRoundTo", "aa", (_, a) => new GoDuration(RoundTo(ToNs(a[0]), ToNs(a[1]))));
        Add("durationTruncateTo", "aa", (_, a) => new GoDuration(TruncateTo(ToNs(a[0]), ToNs(a[1]))));
    }

    private static long FromSeconds(double s)
    {
        var ns = s * 1e9;
        return double.IsNaN(ns) || ns >= 9.223372036854775807E18 || ns <= -9.223372036854775808E18 ? 0 : (long)ns;
    }

    internal static long ToNs(object? v) => GoValues.Unwrap(v) switch
    {
        double d => FromSeconds(d),
        long l => FromSeconds(l),
        GoDuration g => g.Nanoseconds,
        string s when s.Trim() is { Length: > 0 } trimmed =>
            double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) ? FromSeconds(secs) : Dates.ParseDuration(trimmed) ?? 0,
        _ => 0,
    };

    private static long RoundTo(long d, long m)
    {
        if (m <= 0) return d;
        var r = d % m;
        if (d < 0)
        {
            r = -r;
            return r + r < m ? d + r : d - m + r;
        }
        return r + r < m ? d - r : d + m - r;
    }

    private static long TruncateTo(long d, long m) => m <= 0 ? d : d - d % m;
}
