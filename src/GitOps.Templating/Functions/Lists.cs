using System.Globalization;

namespace GitOps.Templating.Functions;

/// <summary>Sprig list functions (plain ones panic, must* ones return the same error; both surface as errors).</summary>
internal static class Lists
{
    public static void Register(IDictionary<string, GoFunction> t)
    {
        void Add(string name, string sig, GoFunc f)
        {
            t[name] = GoFunction.Of(name, sig, f);
        }
        void Both(string name, string sig, GoFunc f)
        {
            Add(name, sig, f);
            Add("must" + char.ToUpperInvariant(name[0]) + name[1..], sig, f);
        }
        Add("list", "a*", (_, a) => a.Select(GoValues.Unwrap).ToList());
        Add("tuple", "a*", (_, a) => a.Select(GoValues.Unwrap).ToList());
        Both("push", "aa", (_, a) => new List<object?>(Conv.List(a[0], "push")) { a[1] });
        Both("append", "aa", (_, a) => new List<object?>(Conv.List(a[0], "append")) { a[1] });
        Both("prepend", "aa", (_, a) => { var l = new List<object?> { a[1] }; l.AddRange(Conv.List(a[0], "prepend")); return l; });
        Add("concat", "a*", (_, a) => Concat(a));
        Both("first", "a", (_, a) => Conv.List(a[0], "find first") is { Count: > 0 } l ? l[0] : null);
        Both("last", "a", (_, a) => Conv.List(a[0], "find last") is { Count: > 0 } l ? l[^1] : null);
        Both("rest", "a", (_, a) => Conv.List(a[0], "find rest") is { Count: > 0 } l ? l.GetRange(1, l.Count - 1) : new List<object?>());
        Both("initial", "a", (_, a) => Conv.List(a[0], "find initial") is { Count: > 0 } l ? l.GetRange(0, l.Count - 1) : new List<object?>());
        Both("reverse", "a", (_, a) => { var l = new List<object?>(Conv.List(a[0], "find reverse")); l.Reverse(); return l; });
        Both("uniq", "a", (_, a) => Uniq(Conv.List(a[0], "find uniq")));
        Both("compact", "a", (_, a) => Conv.List(a[0], "compact").Where(x => !GoValues.Empty(x)).ToList());
        Both("without", "aa*", (_, a) => Conv.List(a[0], "find without").Where(x => !a.Skip(1).Any(o => GoValues.DeepEqual(o, x))).ToList());
        Both("has", "aa", (_, a) => Has(a[0], a[1]));
        Both("slice", "aa*", (_, a) => Slice(a[0], a[1..]));
        Both("chunk", "ia", (_, a) => Chunk((long)a[0]!, Conv.List(a[1], "chunk")));
        Add("until", "i", (_, a) => UntilStep(0, (long)a[0]!, (long)a[0]! < 0 ? -1 : 1));
        Add("untilStep", "iii", (_, a) => UntilStep((long)a[0]!, (long)a[1]!, (long)a[2]!));
        Add("seq", "i*", (_, a) => Seq(a.Select(x => (long)x!).ToArray()));
    }

    private static List<object?> Concat(object?[] lists)
    {
        var result = new List<object?>();
        foreach (var l in lists)
        {
            if (GoValues.Unwrap(l) is List<object?> list) result.AddRange(list);
            else throw new FunctionException($"Cannot concat type {GoValues.KindName(l)} as list");
        }
        return result;
    }

    private static List<object?> Uniq(List<object?> l)
    {
        var result = new List<object?>();
        foreach (var x in l) if (!result.Any(r => GoValues.DeepEqual(r, x))) result.Add(x);
        return result;
    }

    private static bool Has(object? needle, object? haystack)
    {
        if (GoValues.IsNil(haystack)) return false;
        return Conv.List(haystack, "find has").Any(x => GoValues.DeepEqual(x, needle));
    }

    private static object? Slice(object? list, object?[] indices)
    {
        var v = GoValues.Unwrap(list);
        var len = v switch
        {
            List<object?> l => l.Count,
            string s => s.Length,
            _ => throw new FunctionException($"list should be type of slice or array but {GoValues.KindName(v)}"),
        };
        if (len == 0) return null;
        var start = indices.Length > 0 ? Conv.ToInt(indices[0]) : 0;
        var end = indices.Length < 2 ? len : Conv.ToInt(indices[1]);
        if (start < 0 || end > len || start > end) throw new FunctionException($"reflect: slice index out of range");
        return v is string str ? str[start..end] : ((List<object?>)v!).GetRange(start, end - start);
    }

    private static List<object?> Chunk(long size, List<object?> l)
    {
        var result = new List<object?>();
        if (size <= 0) throw new FunctionException("runtime error: integer divide by zero");
        for (var i = 0; i < l.Count; i += (int)size) result.Add(l.GetRange(i, (int)Math.Min(size, l.Count - i)));
        return result;
    }

    internal static List<object?> UntilStep(long start, long stop, long step)
    {
        var v = new List<object?>();
        if (stop < start)
        {
            if (step >= 0) return v;
            for (var i = start; i > stop; i += step) { v.Add(i); if (v.Count > 10_000_000) throw new FunctionException("list too long"); }
            return v;
        }
        if (step <= 0) return v;
        for (var i = start; i < stop; i += step) { v.Add(i); if (v.Count > 10_000_000) throw new FunctionException("list too long"); }
        return v;
    }

    private static string Seq(long[] p)
    {
        List<object?> r;
        switch (p.Length)
        {
            case 1:
            {
                long start = 1, end = p[0], inc = end < start ? -1 : 1;
                r = UntilStep(start, end + inc, inc);
                break;
            }
            case 2:
            {
                long start = p[0], end = p[1], step = end < start ? -1 : 1;
                r = UntilStep(start, end + step, step);
                break;
            }
            case 3:
            {
                long start = p[0], end = p[2], step = p[1], inc = 1;
                if (end < start) { inc = -1; if (step > 0) return ""; }
                r = UntilStep(start, end + inc, step);
                break;
            }
            default: return "";
        }
        return string.Join(' ', r.Select(x => ((long)x!).ToString(CultureInfo.InvariantCulture)));
    }
}
