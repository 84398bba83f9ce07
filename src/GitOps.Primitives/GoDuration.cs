using System.Globalization;

namespace GitOps.Primitives;

/// <summary>Go's time.Duration (nanoseconds): parsed as time.ParseDuration ("5s", "1h30m", "-1.5s", "300ms"),
/// printed as Duration.String(). Templates use it as a value; the controller reads Argo CD's retry backoff with it.</summary>
public readonly record struct GoDuration(long Nanoseconds)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>TimeSpan ticks (100 ns), truncated.</summary>
    public long Ticks => Nanoseconds / 100;

    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks(Ticks);

    /// <summary>time.ParseDuration: an optional sign, then decimal numbers each with a unit (ns, us, µs, ms, s, m,
    /// h); "0" needs none. False when invalid or out of range.</summary>
    public static bool TryParse(string? s, out GoDuration duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(s)) return false;
        var neg = false;
        var i = 0;
        if (s[0] is '-' or '+') { neg = s[0] == '-'; i++; }
        if (i < s.Length && s[i..] == "0") return true;
        if (i >= s.Length) return false;
        double total = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start) return false;
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, Inv, out var n)) return false;
            var u = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            double unit = s[u..i] switch
            {
                "ns" => 1, "us" or "µs" or "μs" => 1e3, "ms" => 1e6, "s" => 1e9, "m" => 60e9, "h" => 3600e9,
                _ => double.NaN,
            };
            if (double.IsNaN(unit)) return false;
            total += n * unit;
        }
        // Go refuses what does not fit an int64 of nanoseconds.
        if (total >= 9.223372036854775807E18) return false;
        duration = new GoDuration((long)(neg ? -total : total));
        return true;
    }

    /// <summary>A non-negative duration written without a sign (spec fields such as retry.backoff.duration).</summary>
    public static bool TryParseTimeSpan(string? s, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(s) || s[0] is '-' or '+' || !TryParse(s, out var d)) return false;
        duration = d.ToTimeSpan();
        return true;
    }

    /// <summary>time.Duration.String(): "1h2m3.5s", "1.5ms", "0s".</summary>
    public override string ToString()
    {
        var ns = Nanoseconds;
        if (ns == 0) return "0s";
        var neg = ns < 0;
        var u = neg ? (ulong)(-(ns + 1)) + 1 : (ulong)ns;
        string s;
        if (u < 1_000_000_000UL)
        {
            if (u < 1000) s = u.ToString(Inv) + "ns";
            else if (u < 1_000_000) s = Frac(u, 3) + "µs";
            else s = Frac(u, 6) + "ms";
        }
        else
        {
            var secs = Frac(u % 60_000_000_000UL, 9);
            var mins = u / 60_000_000_000UL;
            s = secs + "s";
            if (mins > 0)
            {
                s = (mins % 60).ToString(Inv) + "m" + s;
                var hours = mins / 60;
                if (hours > 0) s = hours.ToString(Inv) + "h" + s;
            }
        }
        return neg ? "-" + s : s;

        static string Frac(ulong v, int digits)
        {
            var div = (ulong)Math.Pow(10, digits);
            var whole = v / div;
            var frac = (v % div).ToString("D" + digits, Inv).TrimEnd('0');
            return frac.Length == 0 ? whole.ToString(Inv) : whole.ToString(Inv) + "." + frac;
        }
    }
}
