using System.Globalization;

namespace GitOps.Controller.Applications;

/// <summary>Durations written as Go (and Argo CD's retry backoff) writes them: "5s", "2m", "1h30m", "500ms".</summary>
internal static class GoDuration
{
    // In seconds (a nanosecond is below TimeSpan's 100 ns tick); two-letter units first, so "ms" is not read as
    // "m" followed by "s".
    private static readonly (string Unit, double Seconds)[] Units =
    [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("h", 3600), ("m", 60), ("s", 1),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        var seconds = 0.0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            rest = rest[digits..];
            var matched = false;
            foreach (var (unit, size) in Units)
            {
                if (rest.StartsWith(unit, StringComparison.Ordinal))
                {
                    rest = rest[unit.Length..];
                    seconds += size * value;
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                return false;
            }
        }

        if (seconds >= TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
