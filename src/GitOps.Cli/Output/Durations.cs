using System.Globalization;

namespace GitOps.Cli.Output;

/// <summary>Go-style durations as kubectl/argocd take them: 90s, 5m, 1h30m, or plain seconds.</summary>
internal static class Durations
{
    public static TimeSpan Parse(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var total = TimeSpan.Zero;
        var number = "";
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) || c == '.')
            {
                number += c;
                continue;
            }

            if (number.Length == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                throw new FormatException($"invalid duration '{text}' (e.g. 90s, 5m, 1h30m)");
            }

            total += c switch
            {
                'h' => TimeSpan.FromHours(n),
                'm' => TimeSpan.FromMinutes(n),
                's' => TimeSpan.FromSeconds(n),
                _ => throw new FormatException($"invalid duration '{text}' (e.g. 90s, 5m, 1h30m)"),
            };
            number = "";
        }

        return number.Length == 0 ? total : throw new FormatException($"invalid duration '{text}' (missing unit)");
    }
}
