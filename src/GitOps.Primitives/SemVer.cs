using System.Globalization;
using System.Text.RegularExpressions;

namespace GitOps.Primitives;

/// <summary>A version as Masterminds/semver v3 parses it (non-strict: "v" prefix, missing minor/patch). Helm's
/// semver functions and chart constraints, and Argo CD's and Flux's tag ranges, all use that library.</summary>
public sealed partial class SemVersion : IComparable<SemVersion>
{
    [GeneratedRegex(@"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$")]
    private static partial Regex Pattern();

    public ulong Major { get; init; }
    public ulong Minor { get; init; }
    public ulong Patch { get; init; }
    public string Prerelease { get; init; } = "";
    public string Metadata { get; init; } = "";
    public string Original { get; init; } = "";

    public static SemVersion? TryParse(string s)
    {
        var m = Pattern().Match(s);
        if (!m.Success) return null;
        static ulong Part(Group g) => g.Success ? ulong.Parse(g.Value.TrimStart('.'), CultureInfo.InvariantCulture) : 0;
        try
        {
            var pre = m.Groups[5].Value;
            // numeric prerelease identifiers must not have leading zeros
            if (pre.Split('.').Any(p => p.Length > 1 && p[0] == '0' && p.All(char.IsAsciiDigit))) return null;
            return new SemVersion { Major = Part(m.Groups[1]), Minor = Part(m.Groups[2]), Patch = Part(m.Groups[3]), Prerelease = pre, Metadata = m.Groups[8].Value, Original = s };
        }
        catch (OverflowException) { return null; }
    }

    /// <exception cref="FormatException">"Invalid Semantic Version", Masterminds' message.</exception>
    public static SemVersion Parse(string s) => TryParse(s) ?? throw new FormatException("Invalid Semantic Version");

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}" + (Prerelease.Length > 0 ? "-" + Prerelease : "") + (Metadata.Length > 0 ? "+" + Metadata : "");

    /// <summary>Precedence: major, minor, patch, then prerelease (a release sorts after its prereleases); build
    /// metadata is ignored.</summary>
    public int CompareTo(SemVersion? other)
    {
        if (other is null) return 1;
        var c = Major.CompareTo(other.Major);
        if (c != 0) return c;
        c = Minor.CompareTo(other.Minor);
        if (c != 0) return c;
        c = Patch.CompareTo(other.Patch);
        if (c != 0) return c;
        return ComparePrerelease(Prerelease, other.Prerelease);
    }

    private static int ComparePrerelease(string a, string b)
    {
        if (a == b) return 0;
        if (a.Length == 0) return 1;
        if (b.Length == 0) return -1;
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            if (i >= pa.Length) return -1;
            if (i >= pb.Length) return 1;
            var na = ulong.TryParse(pa[i], NumberStyles.None, CultureInfo.InvariantCulture, out var xa);
            var nb = ulong.TryParse(pb[i], NumberStyles.None, CultureInfo.InvariantCulture, out var xb);
            int c;
            if (na && nb) c = xa.CompareTo(xb);
            else if (na) c = -1;
            else if (nb) c = 1;
            else c = string.CompareOrdinal(pa[i], pb[i]);
            if (c != 0) return Math.Sign(c);
        }
        return 0;
    }
}

/// <summary>Masterminds/semver v3 constraints: ||-separated groups of ,/space-separated comparisons with
/// =, !=, &gt;, &lt;, &gt;=, &lt;=, ~, ^, x-wildcards and hyphen ranges. Parsed whole, as NewConstraint does, so
/// one bad comparison makes the whole constraint invalid.</summary>
public sealed partial class SemVerConstraint
{
    [GeneratedRegex(@"^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-[0-9A-Za-z\-.]+)?(\+[0-9A-Za-z\-.]+)?\s*$")]
    private static partial Regex Single();

    [GeneratedRegex(@"\s*([^\s,]+)\s+-\s+([^\s,]+)\s*")]
    private static partial Regex Hyphen();

    [GeneratedRegex(@"(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+")]
    private static partial Regex OperatorSpace();

    private sealed record Comparison(string Op, SemVersion Version, bool Dirty, bool MinorDirty, bool PatchDirty);

    private readonly List<List<Comparison>> _groups;

    private SemVerConstraint(List<List<Comparison>> groups) => _groups = groups;

    /// <summary>The constraint, or null when Masterminds would refuse it ("improper constraint").</summary>
    public static SemVerConstraint? TryParse(string constraint)
    {
        var groups = new List<List<Comparison>>();
        foreach (var group in constraint.Split("||"))
        {
            var text = Hyphen().Replace(group, m => $" >= {m.Groups[1].Value}, <= {m.Groups[2].Value} ");
            text = OperatorSpace().Replace(text, "$1");
            var parts = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) return null;
            var comparisons = new List<Comparison>(parts.Length);
            foreach (var p in parts)
            {
                if (ParseOne(p) is not { } c) return null;
                comparisons.Add(c);
            }
            groups.Add(comparisons);
        }
        return new SemVerConstraint(groups);
    }

    /// <exception cref="FormatException">"improper constraint: …", Masterminds' message.</exception>
    public static SemVerConstraint Parse(string constraint) =>
        TryParse(constraint) ?? throw new FormatException($"improper constraint: {constraint}");

    /// <summary>True when every comparison of at least one group holds.</summary>
    public bool Check(SemVersion v) => _groups.Any(g => g.All(c => Matches(c, v)));

    private static bool IsX(string s) => s is "x" or "X" or "*";

    private static Comparison? ParseOne(string text)
    {
        var m = Single().Match(text);
        if (!m.Success) return null;
        var op = m.Groups[1].Value;
        var major = m.Groups[2].Value;
        var minor = m.Groups[3].Value.TrimStart('.');
        var patch = m.Groups[4].Value.TrimStart('.');
        var pre = m.Groups[5].Value;
        bool dirty = false, minorDirty = false, patchDirty = false;
        string ver;
        if (IsX(major)) { ver = "0.0.0"; dirty = true; minorDirty = true; patchDirty = true; }
        else if (IsX(minor)) { minorDirty = true; dirty = true; patchDirty = true; ver = $"{major}.0.0{pre}"; }
        else if (IsX(patch)) { dirty = true; patchDirty = true; ver = $"{major}.{(minor.Length > 0 ? minor : "0")}.0{pre}"; }
        else
        {
            ver = $"{major}.{(minor.Length > 0 ? minor : "0")}.{(patch.Length > 0 ? patch : "0")}{pre}";
            // "~1" and "^1" style partial versions act as wildcards for the missing parts
            if (minor.Length == 0 && op is "~" or "~>" or "^" or "" or "=") { minorDirty = op is not ("" or "="); dirty = minorDirty; if (op is "" or "=") { dirty = true; minorDirty = true; patchDirty = true; } }
            else if (patch.Length == 0 && op is "" or "=") { dirty = true; patchDirty = true; }
        }
        return SemVersion.TryParse(ver) is { } version ? new Comparison(op, version, dirty, minorDirty, patchDirty) : null;
    }

    private static bool Matches(Comparison c, SemVersion v)
    {
        // A prerelease version only satisfies constraints that mention a prerelease.
        if (v.Prerelease.Length > 0 && c.Version.Prerelease.Length == 0) return false;
        var cv = c.Version;
        var cmp = v.CompareTo(cv);
        switch (c.Op)
        {
            case "" or "=":
                if (!c.Dirty) return cmp == 0;
                return Tilde(c, v);
            case "!=":
                if (!c.Dirty) return cmp != 0;
                return !Tilde(c, v);
            case ">":
                if (!c.Dirty) return cmp > 0;
                if (v.Major != cv.Major) return v.Major > cv.Major;
                if (c.MinorDirty) return false;
                return v.Minor > cv.Minor;
            case "<":
                return cmp < 0;
            case ">=" or "=>":
                return cmp >= 0;
            case "<=" or "=<":
                if (!c.Dirty) return cmp <= 0;
                if (v.Major != cv.Major) return v.Major < cv.Major;
                if (c.MinorDirty) return true;
                return v.Minor <= cv.Minor;
            case "~" or "~>":
                return Tilde(c, v);
            case "^":
                if (cmp < 0) return false;
                if (cv.Major > 0 || c.MinorDirty) return v.Major == cv.Major;
                if (cv.Minor > 0 || c.PatchDirty) return v.Major == 0 && v.Minor == cv.Minor;
                return v.Major == 0 && v.Minor == 0 && v.Patch == cv.Patch;
        }
        return false;
    }

    private static bool Tilde(Comparison c, SemVersion v)
    {
        var cv = c.Version;
        if (v.CompareTo(cv) < 0) return false;
        if (cv.Major == 0 && cv.Minor == 0 && cv.Patch == 0 && !c.MinorDirty && !c.PatchDirty) return true;
        if (c.MinorDirty && c.Op is "" or "=" && cv.Major == 0 && cv.Minor == 0 && c.Dirty && c.PatchDirty && IsAllX(c)) return true;
        if (v.Major != cv.Major) return false;
        if (v.Minor != cv.Minor && !c.MinorDirty) return false;
        return true;
    }

    private static bool IsAllX(Comparison c) => c.Dirty && c.MinorDirty && c.PatchDirty && c.Version.Major == 0;
}
