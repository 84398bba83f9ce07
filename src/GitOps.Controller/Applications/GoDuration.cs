using System.Globalization;

namespace GitOps.Controller.Applications;

/// <summary>Durations written as Go (and Argo CD's retry backoff) writes them: "5s", "2m", "1h30m", "500ms".</summary>
internal static class GoDuration
{
    // Two-letter units first, so "ms" is not read as "m" followed by "s".
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("ns", TimeSpan.FromTicks(1) / 100), ("us", TimeSpan.FromMicroseconds(1)), ("µs", TimeSpan.FromMicroseconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
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
                    duration += size * value;
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                return false;
            }
        }

        return true;
    }
}
