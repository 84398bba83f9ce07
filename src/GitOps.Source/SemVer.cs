using System.Globalization;

namespace GitOps.Source;

/// <summary>A semantic version as written in a tag (<c>v1.2.3</c>, <c>1.2.3-rc.1+build</c>).</summary>
internal sealed record SemVersion(int Major, int Minor, int Patch, string Prerelease) : IComparable<SemVersion>
{
    public static SemVersion? TryParse(string text)
    {
        var s = text.StartsWith('v') || text.StartsWith('V') ? text[1..] : text;
        var plus = s.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            s = s[..plus];
        }

        var dash = s.IndexOf('-', StringComparison.Ordinal);
        var pre = dash >= 0 ? s[(dash + 1)..] : "";
        var core = (dash >= 0 ? s[..dash] : s).Split('.');
        if (core.Length != 3 || (dash >= 0 && pre.Length == 0))
        {
            return null;
        }

        return TryInt(core[0], out var major) && TryInt(core[1], out var minor) && TryInt(core[2], out var patch)
            ? new SemVersion(major, minor, patch, pre)
            : null;
    }

    internal static bool TryInt(string s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public int CompareTo(SemVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (c != 0)
        {
            return c;
        }

        // A prerelease sorts before its release; identifiers compare numerically when both are numbers.
        if (Prerelease.Length == 0 || other.Prerelease.Length == 0)
        {
            return (Prerelease.Length == 0, other.Prerelease.Length == 0) switch
            {
                (true, false) => 1,
                (false, true) => -1,
                _ => 0,
            };
        }

        var a = Prerelease.Split('.');
        var b = other.Prerelease.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var an = TryInt(a[i], out var ai);
            var bn = TryInt(b[i], out var bi);
            c = (an, bn) switch
            {
                (true, true) => ai.CompareTo(bi),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}

/// <summary>
/// A semver range: comparators joined by spaces or commas (AND) and <c>||</c> (OR); <c>~1.4</c>, <c>^2</c>,
/// wildcards <c>1.x</c>/<c>*</c> and partial versions as in npm / Masterminds semver.
/// </summary>
internal sealed class SemVerRange
{
    private readonly List<List<(string Op, SemVersion Version)>> alternatives;

    private SemVerRange(List<List<(string, SemVersion)>> alternatives) => this.alternatives = alternatives;

    public static SemVerRange? TryParse(string text)
    {
        var result = new List<List<(string, SemVersion)>>();
        foreach (var alternative in text.Split("||"))
        {
            var set = new List<(string, SemVersion)>();
            var tokens = alternative.Replace(",", " ", StringComparison.Ordinal)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // Join an operator written apart from its version: ">= 1.2".
            var joined = new List<string>();
            for (var i = 0; i < tokens.Length; i++)
            {
                joined.Add(tokens[i].TrimStart('<', '>', '=', '~', '^', '!').Length == 0 && i + 1 < tokens.Length
                    ? tokens[i] + tokens[++i]
                    : tokens[i]);
            }

            foreach (var token in joined)
            {
                if (!AddComparators(token, set))
                {
                    return null;
                }
            }

            result.Add(set);
        }

        return new SemVerRange(result);
    }

    public bool Contains(SemVersion version) =>
        alternatives.Any(set =>
            set.All(c => Satisfies(c.Op, c.Version, version)) &&
            // Prereleases only match a range that names a prerelease of the same version core.
            (version.Prerelease.Length == 0 || set.Any(c => c.Version.Prerelease.Length > 0 &&
                (c.Version.Major, c.Version.Minor, c.Version.Patch) == (version.Major, version.Minor, version.Patch))));

    private static bool Satisfies(string op, SemVersion bound, SemVersion v)
    {
        var c = v.CompareTo(bound);
        return op switch
        {
            ">" => c > 0,
            ">=" => c >= 0,
            "<" => c < 0,
            "<=" => c <= 0,
            "!=" => c != 0,
            _ => c == 0,
        };
    }

    private static bool AddComparators(string token, List<(string, SemVersion)> set)
    {
        var op = new string([.. token.TakeWhile(ch => ch is '<' or '>' or '=' or '~' or '^' or '!')]);
        var rest = token[op.Length..];
        if (rest.StartsWith('v') || rest.StartsWith('V'))
        {
            rest = rest[1..];
        }

        if (rest is "*" or "x" or "X")
        {
            set.Add((">=", new SemVersion(0, 0, 0, "")));
            return op.Length == 0 || op == ">=" || op == "=";
        }

        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        var pre = dash >= 0 ? rest[(dash + 1)..] : "";
        var parts = (dash >= 0 ? rest[..dash] : rest).Split('.');
        if (parts.Length is < 1 or > 3)
        {
            return false;
        }

        var numbers = new int?[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] is "x" or "X" or "*")
            {
                break;
            }

            if (!SemVersion.TryInt(parts[i], out var n))
            {
                return false;
            }

            numbers[i] = n;
        }

        var given = numbers.TakeWhile(n => n.HasValue).Count();
        if (given == 0)
        {
            set.Add((">=", new SemVersion(0, 0, 0, "")));
            return true;
        }

        var low = new SemVersion(numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0, given == 3 ? pre : "");
        SemVersion Next(int level) => level switch
        {
            0 => new SemVersion(low.Major + 1, 0, 0, ""),
            1 => new SemVersion(low.Major, low.Minor + 1, 0, ""),
            _ => new SemVersion(low.Major, low.Minor, low.Patch + 1, ""),
        };

        switch (op)
        {
            case "~":
                set.Add((">=", low));
                set.Add(("<", Next(given == 1 ? 0 : 1)));
                return true;
            case "^":
                set.Add((">=", low));
                var level = low.Major != 0 || given == 1 ? 0 : low.Minor != 0 || given == 2 ? 1 : 2;
                set.Add(("<", Next(level)));
                return true;
            case "" or "=" when given < 3:
                set.Add((">=", low));
                set.Add(("<", Next(given - 1)));
                return true;
            case "" or "=":
                set.Add(("=", low));
                return true;
            case ">" when given < 3:
                set.Add((">=", Next(given - 1)));
                return true;
            case "<=" when given < 3:
                set.Add(("<", Next(given - 1)));
                return true;
            case ">" or ">=" or "<" or "<=" or "!=":
                set.Add((op, low));
                return true;
            default:
                return false;
        }
    }
}
