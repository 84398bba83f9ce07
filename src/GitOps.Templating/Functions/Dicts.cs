
namespace GitOps.Templating.Functions;

/// <summary>Sprig dict functions, defaults and type reflection.</summary>
internal static class Dicts
{
    public static void Register(IDictionary<string, GoFunction> t)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("dict", "a*", (_, a) => Dict(a));
        Add("get", "ms", (_, a) => M(a[0]) is { } m && m.TryGetValue((string)a[1]!, out var v) ? v : "");
        Add("set", "msa", (_, a) => { var m = M(a[0]) ?? throw new FunctionException("assignment to entry in nil map"); m[(string)a[1]!] = a[2]; return m; });
        Add("unset", "ms", (_, a) => { var m = M(a[0]); m?.Remove((string)a[1]!); return m; });
        Add("hasKey", "ms", (_, a) => M(a[0])?.ContainsKey((string)a[1]!) ?? false);
        Add("pluck", "sm*", (_, a) => a.Skip(1).Select(M).Where(m => m is not null && m.ContainsKey((string)a[0]!)).Select(m => m![(string)a[0]!]).ToList());
        Add("keys", "m*", (_, a) => a.Select(M).Where(m => m is not null).SelectMany(m => GoValues.SortedKeys(m!)).Select(k => (object?)k).ToList());
        Add("values", "m", (_, a) => M(a[0]) is { } m ? GoValues.SortedKeys(m).Select(k => m[k]).ToList() : []);
        Add("pick", "ms*", (_, a) => Pick(M(a[0]), a.Skip(1).Cast<string>(), keep: true));
        Add("omit", "ms*", (_, a) => Pick(M(a[0]), a.Skip(1).Cast<string>(), keep: false));
        Add("merge", "mm*", (_, a) => MergeAll(a, overwrite: false));
        Add("mustMerge", "mm*", (_, a) => MergeAll(a, overwrite: false));
        Add("mergeOverwrite", "mm*", (_, a) => MergeAll(a, overwrite: true));
        Add("mustMergeOverwrite", "mm*", (_, a) => MergeAll(a, overwrite: true));
        Add("deepCopy", "a", (_, a) => GoValues.DeepCopy(a[0]));
        Add("mustDeepCopy", "a", (_, a) => a[0] is null ? throw new FunctionException("copy: cannot copy nil") : GoValues.DeepCopy(a[0]));
        Add("dig", "a*", (_, a) => Dig(a));

        Add("default", "aa*", (_, a) => a.Length < 2 || GoValues.Empty(a[1]) ? a[0] : a[1]);
        Add("empty", "a", (_, a) => GoValues.Empty(a[0]));
        Add("coalesce", "a*", (_, a) => a.FirstOrDefault(x => !GoValues.Empty(x)));
        Add("all", "a*", (_, a) => a.All(x => !GoValues.Empty(x)));
        Add("any", "a*", (_, a) => a.Any(x => !GoValues.Empty(x)));
        Add("ternary", "aab", (_, a) => (bool)a[2]! ? a[0] : a[1]);
        Add("fail", "s", (_, a) => throw new FunctionException((string)a[0]!));

        Add("typeOf", "a", (_, a) => GoValues.TypeName(a[0]));
        Add("typeIs", "sa", (_, a) => (string)a[0]! == GoValues.TypeName(a[1]));
        Add("typeIsLike", "sa", (_, a) => (string)a[0]! == GoValues.TypeName(a[1]) || (string)a[0]! == "*" + GoValues.TypeName(a[1]));
        Add("kindOf", "a", (_, a) => GoValues.KindName(a[0]));
        Add("kindIs", "sa", (_, a) => (string)a[0]! == GoValues.KindName(a[1]));
        Add("deepEqual", "aa", (_, a) => GoValues.DeepEqual(a[0], a[1]) && SameTypes(a[0], a[1]));
    }

    private static bool SameTypes(object? a, object? b) => GoValues.TypeName(a) == GoValues.TypeName(b);

    private static Dictionary<string, object?>? M(object? v) => v as Dictionary<string, object?>;

    private static Dictionary<string, object?> Dict(object?[] a)
    {
        var d = GoValues.NewMap();
        for (var i = 0; i < a.Length; i += 2)
        {
            var key = Conv.Str(a[i]);
            d[key] = i + 1 >= a.Length ? "" : GoValues.Unwrap(a[i + 1]);
        }
        return d;
    }

    private static Dictionary<string, object?> Pick(Dictionary<string, object?>? m, IEnumerable<string> keys, bool keep)
    {
        var set = keys.ToHashSet(StringComparer.Ordinal);
        var result = GoValues.NewMap();
        if (m is null) return result;
        foreach (var (k, v) in m) if (set.Contains(k) == keep) result[k] = v;
        return result;
    }

    private static object? Dig(object?[] a)
    {
        if (a.Length < 3) throw new FunctionException("dig needs at least three arguments");
        var dict = M(a[^1]) ?? throw new FunctionException($"interface conversion: interface {{}} is {GoValues.TypeName(a[^1])}, not map[string]interface {{}}");
        var def = a[^2];
        object? step = dict;
        for (var i = 0; i < a.Length - 2; i++)
        {
            var key = a[i] as string ?? throw new FunctionException($"interface conversion: interface {{}} is {GoValues.TypeName(a[i])}, not string");
            var m = step as Dictionary<string, object?> ?? throw new FunctionException($"interface conversion: interface {{}} is {GoValues.TypeName(step)}, not map[string]interface {{}}");
            if (!m.TryGetValue(key, out step)) return def;
        }
        return step;
    }

    private static Dictionary<string, object?> MergeAll(object?[] a, bool overwrite)
    {
        var dst = M(a[0]) ?? GoValues.NewMap();
        for (var i = 1; i < a.Length; i++) if (M(a[i]) is { } src) Merge(dst, src, overwrite);
        return dst;
    }

    /// <summary>mergo.Merge semantics on maps: empty destination values are filled; with overwrite, source scalars
    /// and lists replace; nested maps merge recursively; a non-empty destination scalar is kept against a source map.</summary>
    internal static void Merge(Dictionary<string, object?> dst, Dictionary<string, object?> src, bool overwrite)
    {
        foreach (var (key, sv) in src)
        {
            if (sv is null)
            {
                if (overwrite) dst[key] = null;
                continue;
            }
            var has = dst.TryGetValue(key, out var dv);
            if (sv is Dictionary<string, object?> sm)
            {
                if (dv is Dictionary<string, object?> dm) { Merge(dm, sm, overwrite); if (dm.Count > 0) continue; }
                if (!has || GoValues.Empty(dv)) dst[key] = sm;
                continue;
            }
            if (sv is List<object?>)
            {
                if (overwrite || !has || GoValues.Empty(dv)) dst[key] = sv;
                continue;
            }
            if (overwrite || !has || GoValues.Empty(dv)) dst[key] = sv;
        }
    }
}
