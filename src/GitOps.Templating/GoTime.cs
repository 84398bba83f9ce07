using System.Globalization;
using System.Text;

namespace GitOps.Templating;

/// <summary>Go's reference-time layouts ("2006-01-02 15:04:05 -0700 MST") for formatting and parsing.</summary>
internal static class GoTime
{
    private static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] LongMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] Tokens =
    [
        "January", "Jan", "Monday", "Mon", "MST", "2006", "002", "01", "02", "03", "04", "05", "06", "_2", "15",
        "-07:00:00", "-070000", "-07:00", "-0700", "-07", "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
        "PM", "pm", "1", "2", "3", "4", "5",
    ];

    private static (string? Token, int Length) NextToken(string layout, int i)
    {
        if ((layout[i] == '.' || layout[i] == ',') && i + 1 < layout.Length && layout[i + 1] is '0' or '9')
        {
            var j = i + 1;
            var d = layout[j];
            while (j < layout.Length && layout[j] == d) j++;
            if (j >= layout.Length || !char.IsAsciiDigit(layout[j])) return (layout[i..j], j - i);
        }
        foreach (var t in Tokens)
        {
            if (string.CompareOrdinal(layout, i, t, 0, t.Length) != 0) continue;
            // "Jan"/"Mon" must not be followed by a lower-case letter (e.g. "Janet").
            if (t is "Jan" or "Mon" && i + 3 < layout.Length && char.IsAsciiLetterLower(layout[i + 3])) continue;
            return (t, t.Length);
        }
        return (null, 1);
    }

    public static string Format(DateTimeOffset t, string layout)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < layout.Length;)
        {
            var (tok, len) = NextToken(layout, i);
            if (tok is null) { sb.Append(layout[i]); i++; continue; }
            i += len;
            var off = t.Offset;
            switch (tok)
            {
                case "January": sb.Append(LongMonths[t.Month - 1]); break;
                case "Jan": sb.Append(LongMonths[t.Month - 1][..3]); break;
                case "Monday": sb.Append(LongDays[(int)t.DayOfWeek]); break;
                case "Mon": sb.Append(LongDays[(int)t.DayOfWeek][..3]); break;
                case "MST": sb.Append(off == TimeSpan.Zero ? "UTC" : ZoneAbbrev(off)); break;
                case "2006": sb.Append(t.Year.ToString("D4", inv)); break;
                case "06": sb.Append((t.Year % 100).ToString("D2", inv)); break;
                case "002": sb.Append(t.DayOfYear.ToString("D3", inv)); break;
                case "01": sb.Append(t.Month.ToString("D2", inv)); break;
                case "1": sb.Append(t.Month.ToString(inv)); break;
                case "02": sb.Append(t.Day.ToString("D2", inv)); break;
                case "_2": sb.Append(t.Day.ToString(inv).PadLeft(2)); break;
                case "2": sb.Append(t.Day.ToString(inv)); break;
                case "15": sb.Append(t.Hour.ToString("D2", inv)); break;
                case "03": sb.Append(Hour12(t).ToString("D2", inv)); break;
                case "3": sb.Append(Hour12(t).ToString(inv)); break;
                case "04": sb.Append(t.Minute.ToString("D2", inv)); break;
                case "4": sb.Append(t.Minute.ToString(inv)); break;
                case "05": sb.Append(t.Second.ToString("D2", inv)); break;
                case "5": sb.Append(t.Second.ToString(inv)); break;
                case "PM": sb.Append(t.Hour >= 12 ? "PM" : "AM"); break;
                case "pm": sb.Append(t.Hour >= 12 ? "pm" : "am"); break;
                default:
                    if (tok[0] is '-' or 'Z') { sb.Append(FormatOffset(tok, off)); break; }
                    // fractional seconds
                    var digits = tok.Length - 1;
                    var frac = ((t.Ticks % TimeSpan.TicksPerSecond) * 100).ToString("D9", inv)[..Math.Min(9, digits)];
                    if (tok[1] == '9')
                    {
                        frac = frac.TrimEnd('0');
                        if (frac.Length > 0) sb.Append(tok[0]).Append(frac);
                    }
                    else sb.Append(tok[0]).Append(frac.PadRight(digits, '0'));
                    break;
            }
        }
        return sb.ToString();
    }

    private static int Hour12(DateTimeOffset t) => t.Hour % 12 == 0 ? 12 : t.Hour % 12;

    private static string ZoneAbbrev(TimeSpan off)
    {
        var sign = off < TimeSpan.Zero ? '-' : '+';
        var a = off.Duration();
        return a.Minutes == 0 ? $"{sign}{a.Hours:D2}" : $"{sign}{a.Hours:D2}{a.Minutes:D2}";
    }

    private static string FormatOffset(string tok, TimeSpan off)
    {
        if (tok[0] == 'Z' && off == TimeSpan.Zero) return "Z";
        var sign = off < TimeSpan.Zero ? '-' : '+';
        var a = off.Duration();
        var core = tok.TrimStart('-', 'Z');
        return core switch
        {
            "07" => $"{sign}{a.Hours:D2}",
            "0700" => $"{sign}{a.Hours:D2}{a.Minutes:D2}",
            "07:00" => $"{sign}{a.Hours:D2}:{a.Minutes:D2}",
            "070000" => $"{sign}{a.Hours:D2}{a.Minutes:D2}{a.Seconds:D2}",
            _ => $"{sign}{a.Hours:D2}:{a.Minutes:D2}:{a.Seconds:D2}",
        };
    }

    /// <summary>time.ParseInLocation for the common layout elements; null when the value does not match.</summary>
    public static DateTimeOffset? Parse(string layout, string value, TimeSpan defaultOffset)
    {
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long ticks = 0;
        var pm = (bool?)null;
        TimeSpan? offset = null;
        var v = 0;
        for (var i = 0; i < layout.Length;)
        {
            var (tok, len) = NextToken(layout, i);
            if (tok is null)
            {
                if (v >= value.Length || value[v] != layout[i]) return null;
                v++; i++;
                continue;
            }
            i += len;
            int Num(int min, int max)
            {
                var start = v;
                while (v < value.Length && v - start < max && char.IsAsciiDigit(value[v])) v++;
                if (v - start < min) throw new FormatException();
                return int.Parse(value.AsSpan(start, v - start), CultureInfo.InvariantCulture);
            }
            try
            {
                switch (tok)
                {
                    case "2006": year = Num(4, 4); break;
                    case "06": year = 2000 + Num(2, 2); if (year >= 2069) year -= 100; break;
                    case "01": month = Num(2, 2); break;
                    case "1": month = Num(1, 2); break;
                    case "02": day = Num(2, 2); break;
                    case "2": day = Num(1, 2); break;
                    case "_2": if (v < value.Length && value[v] == ' ') v++; day = Num(1, 2); break;
                    case "15": hour = Num(1, 2); break;
                    case "03" or "3": hour = Num(1, 2); break;
                    case "04" or "4": minute = Num(1, 2); break;
                    case "05" or "5":
                        second = Num(1, 2);
                        if (v < value.Length && value[v] == '.' && (i >= layout.Length || layout[i] != '.'))
                        {
                            v++;
                            var s = v;
                            while (v < value.Length && char.IsAsciiDigit(value[v])) v++;
                            ticks = long.Parse(value.AsSpan(s, Math.Min(7, v - s)).ToString().PadRight(7, '0'), CultureInfo.InvariantCulture);
                        }
                        break;
                    case "PM" or "pm":
                        if (v + 2 > value.Length) return null;
                        pm = value.Substring(v, 2).Equals("PM", StringComparison.OrdinalIgnoreCase);
                        v += 2;
                        break;
                    case "Jan" or "January":
                    {
                        var idx = Array.FindIndex(LongMonths, m => value.AsSpan(v).StartsWith(tok == "Jan" ? m[..3] : m, StringComparison.OrdinalIgnoreCase));
                        if (idx < 0) return null;
                        month = idx + 1;
                        v += tok == "Jan" ? 3 : LongMonths[idx].Length;
                        break;
                    }
                    case "Mon" or "Monday":
                    {
                        var idx = Array.FindIndex(LongDays, d => value.AsSpan(v).StartsWith(tok == "Mon" ? d[..3] : d, StringComparison.OrdinalIgnoreCase));
                        if (idx < 0) return null;
                        v += tok == "Mon" ? 3 : LongDays[idx].Length;
                        break;
                    }
                    case "MST":
                        while (v < value.Length && char.IsAsciiLetterUpper(value[v])) v++;
                        break;
                    default:
                        if (tok[0] is '-' or 'Z')
                        {
                            if (tok[0] == 'Z' && v < value.Length && value[v] == 'Z') { offset = TimeSpan.Zero; v++; break; }
                            if (v >= value.Length || value[v] is not ('+' or '-')) return null;
                            var neg = value[v] == '-';
                            v++;
                            var h = Num(2, 2);
                            if (v < value.Length && value[v] == ':') v++;
                            var m = tok.Length > 3 ? Num(2, 2) : 0;
                            offset = new TimeSpan(neg ? -h : h, neg ? -m : m, 0);
                            break;
                        }
                        if (v < value.Length && value[v] == tok[0])
                        {
                            v++;
                            var s = v;
                            while (v < value.Length && char.IsAsciiDigit(value[v])) v++;
                            ticks = long.Parse(value.AsSpan(s, Math.Min(7, v - s)).ToString().PadRight(7, '0'), CultureInfo.InvariantCulture);
                        }
                        break;
                }
            }
            catch (FormatException) { return null; }
        }
        if (v != value.Length) return null;
        if (pm == true && hour < 12) hour += 12;
        if (pm == false && hour == 12) hour = 0;
        try
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, offset ?? defaultOffset).AddTicks(ticks);
        }
        catch (ArgumentException) { return null; }
    }
}
