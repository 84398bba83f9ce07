using System.Globalization;
using GitOps.Primitives;

namespace GitOps.Templating.Functions;

/// <summary>Sprig date functions (times are DateTimeOffset; the local zone is the process's).</summary>
internal static class Dates
{
    public static void Register(IDictionary<string, GoFunction> t, Func<DateTimeOffset> now)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("now", "", (_, _) => now());
        Add("date", "sa", (_, a) => GoTime.Format(ToTime(a[1], now), (string)a[0]!));
        Add("dateInZone", "sas", (_, a) => GoTime.Format(InZone(ToTime(a[1], now), (string)a[2]!), (string)a[0]!));
        Add("date_in_zone", "sas", (_, a) => GoTime.Format(InZone(ToTime(a[1], now), (string)a[2]!), (string)a[0]!));
        Add("htmlDate", "a", (_, a) => GoTime.Format(ToTime(a[0], now), "2006-01-02"));
        Add("htmlDateInZone", "as", (_, a) => GoTime.Format(InZone(ToTime(a[0], now), (string)a[1]!), "2006-01-02"));
        Add("dateModify", "sa", (_, a) => DateModify((string)a[0]!, a[1], must: false));
        Add("date_modify", "sa", (_, a) => DateModify((string)a[0]!, a[1], must: false));
        Add("mustDateModify", "sa", (_, a) => DateModify((string)a[0]!, a[1], must: true));
        Add("must_date_modify", "sa", (_, a) => DateModify((string)a[0]!, a[1], must: true));
        Add("ago", "a", (_, a) => new GoDuration(RoundSeconds(now() - ToTime(a[0], now))).ToString());
        Add("duration", "a", (_, a) => new GoDuration(Conv.ToInt64(a[0]) * 1_000_000_000).ToString());
        Add("durationRound", "a", (_, a) => DurationRound(a[0], now));
        Add("toDate", "ss", (_, a) => GoTime.Parse((string)a[0]!, (string)a[1]!, TimeZoneInfo.Local.BaseUtcOffset) ?? (object?)new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Add("mustToDate", "ss", (_, a) => GoTime.Parse((string)a[0]!, (string)a[1]!, TimeZoneInfo.Local.BaseUtcOffset)
            ?? throw new FunctionException($"parsing time {GoFormat.Quote((string)a[1]!)} as {GoFormat.Quote((string)a[0]!)}: cannot parse"));
        Add("unixEpoch", "a", (_, a) => ToTime(a[0], now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    }

    private static long RoundSeconds(TimeSpan d) => (long)Math.Round(d.TotalSeconds, MidpointRounding.AwayFromZero) * 1_000_000_000;

    /// <summary>sprig's formatDate argument: time.Time or Unix seconds (int/int64/int32); anything else is now.</summary>
    internal static DateTimeOffset ToTime(object? v, Func<DateTimeOffset> now) => GoValues.Unwrap(v) switch
    {
        DateTimeOffset t => t,
        long l => DateTimeOffset.FromUnixTimeSeconds(l).ToOffset(TimeZoneInfo.Local.BaseUtcOffset),
        int i => DateTimeOffset.FromUnixTimeSeconds(i).ToOffset(TimeZoneInfo.Local.BaseUtcOffset),
        _ => now(),
    };

    private static DateTimeOffset InZone(DateTimeOffset t, string zone)
    {
        if (zone is "UTC" or "" or "utc") return t.ToUniversalTime();
        try { return TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById(zone)); }
        catch (TimeZoneNotFoundException) { return t.ToUniversalTime(); }
        catch (InvalidTimeZoneException) { return t.ToUniversalTime(); }
    }

    private static object? DateModify(string fmt, object? date, bool must)
    {
        var d = ParseDuration(fmt);
        if (d is null)
        {
            if (must) throw new FunctionException($"time: invalid duration {GoFormat.Quote(fmt)}");
            return date;
        }
        return ToTime(date, () => DateTimeOffset.Now).AddTicks(d.Value / 100);
    }

    private static string DurationRound(object? v, Func<DateTimeOffset> now)
    {
        long ns = GoValues.Unwrap(v) switch
        {
            string s => ParseDuration(s) ?? 0,
            long l => l,
            DateTimeOffset t => (now() - t).Ticks * 100,
            GoDuration g => g.Nanoseconds,
            _ => 0,
        };
        var u = Math.Abs(ns);
        const long second = 1_000_000_000, minute = 60 * second, hour = 60 * minute, day = 24 * hour, month = 30 * day, year = 365 * day;
        return u switch
        {
            > year => $"{u / year}y",
            > month => $"{u / month}mo",
            > day => $"{u / day}d",
            > hour => $"{u / hour}h",
            > minute => $"{u / minute}m",
            > second => $"{u / second}s",
            _ => "0s",
        };
    }

    /// <summary>time.ParseDuration in nanoseconds; null when invalid.</summary>
    internal static long? ParseDuration(string s) => GoDuration.TryParse(s, out var d) ? d.Nanoseconds : null;
}
