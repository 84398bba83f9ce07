using GitOps.Primitives;
using GitOps.Templating;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>Helm's value handling (pkg/chartutil): reading, user-file merging, coalescing chart defaults with
/// user values (null deletes a default), globals flowing to subcharts, dependency conditions/tags/aliases and
/// import-values.</summary>
internal static class Values
{
    public static Dictionary<string, object?> Parse(string yaml) =>
        GoYamlReader.Read(yaml, numbersAsFloat: true) switch
        {
            Dictionary<string, object?> m => m,
            null => GoValues.NewMap(),
            var v => throw new YamlReadException($"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {GoJson.JsonKind(v)} into Go value of type map[string]interface {{}}"),
        };

    /// <summary>Helm CLI's mergeMaps for -f files: later files win, maps merge recursively.</summary>
    public static Dictionary<string, object?> MergeMaps(Dictionary<string, object?> a, Dictionary<string, object?> b)
    {
        var output = new Dictionary<string, object?>(a, StringComparer.Ordinal);
        foreach (var (k, v) in b)
        {
            if (v is Dictionary<string, object?> bv && output.GetValueOrDefault(k) is Dictionary<string, object?> av)
            {
                output[k] = MergeMaps(av, bv);
                continue;
            }
            output[k] = v;
        }
        return output;
    }

    private static Dictionary<string, object?> Copy(Dictionary<string, object?> m) => (Dictionary<string, object?>)GoValues.DeepCopy(m)!;

    /// <summary>CoalesceValues (merge=false) or MergeValues (merge=true): chart defaults under user values.</summary>
    public static Dictionary<string, object?> Coalesce(ChartData chart, Dictionary<string, object?>? user, bool merge)
    {
        var dest = user is null ? GoValues.NewMap() : Copy(user);
        CoalesceChart(chart, dest, merge);
        return dest;
    }

    private static void CoalesceChart(ChartData chart, Dictionary<string, object?> dest, bool merge)
    {
        CoalesceValues(chart, dest, merge);
        foreach (var sub in chart.Dependencies)
        {
            if (!dest.TryGetValue(sub.Name, out var c) || c is null) dest[sub.Name] = c = GoValues.NewMap();
            if (c is not Dictionary<string, object?> dv) continue;
            CoalesceGlobals(dv, dest, merge);
            CoalesceChart(sub, dv, merge);
        }
    }

    private static void CoalesceValues(ChartData chart, Dictionary<string, object?> v, bool merge)
    {
        var defaults = Copy(chart.Values);
        foreach (var (key, val) in defaults)
        {
            if (v.TryGetValue(key, out var value))
            {
                if (value is null && !merge) v.Remove(key);
                // A subchart's table merges here (its nulls survive): they delete its defaults when it coalesces itself.
                else if (value is Dictionary<string, object?> dst && val is Dictionary<string, object?> src)
                    CoalesceTables(dst, src, merge || chart.Dependencies.Any(d => d.Name == key));
            }
            else v[key] = val;
        }
    }

    /// <summary>Fills dst with src's keys; dst wins; a null in dst deletes a default src had (unless merging), and
    /// marks the key null in src, as Helm's coalesceTablesFullKey does.</summary>
    public static Dictionary<string, object?> CoalesceTables(Dictionary<string, object?> dst, Dictionary<string, object?> src, bool merge)
    {
        var srcNonNil = src.Where(kv => kv.Value is not null).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, val) in dst)
        {
            if (val is null) src[key] = null;
        }
        foreach (var (key, val) in src)
        {
            var has = dst.TryGetValue(key, out var dv);
            if (has && !merge && dv is null && srcNonNil.Contains(key)) dst.Remove(key);
            else if (!has) dst[key] = val;
            else if (val is Dictionary<string, object?> sv && dv is Dictionary<string, object?> dm) CoalesceTables(dm, sv, merge);
        }
        return dst;
    }

    private static void CoalesceGlobals(Dictionary<string, object?> dest, Dictionary<string, object?> src, bool merge)
    {
        var dg = dest.GetValueOrDefault("global") as Dictionary<string, object?> ?? GoValues.NewMap();
        var sg = src.GetValueOrDefault("global") as Dictionary<string, object?> ?? GoValues.NewMap();
        foreach (var (key, val) in sg)
        {
            if (val is Dictionary<string, object?> vm)
            {
                var vv = Copy(vm);
                if (!dg.TryGetValue(key, out var destv)) dg[key] = vv;
                else if (destv is Dictionary<string, object?> destMap)
                {
                    // Reverse order: the parent's globals win over the subchart's.
                    CoalesceTables(vv, destMap, true);
                    dg[key] = vv;
                }
            }
            else if (dg.GetValueOrDefault(key) is Dictionary<string, object?>) { /* a table is not replaced by a scalar */ }
            else dg[key] = val;
        }
        dest["global"] = dg;
        _ = merge;
    }

    /// <summary>A dotted path lookup ("a.b.c") as Values.PathValue; null when absent.</summary>
    public static bool TryPath(Dictionary<string, object?> v, string path, out object? value)
    {
        value = null;
        object? cur = v;
        foreach (var part in path.Split('.'))
        {
            if (cur is not Dictionary<string, object?> m || !m.TryGetValue(part, out cur)) return false;
        }
        value = cur;
        return true;
    }

    /// <summary>ProcessDependenciesWithMerge: enable/disable subcharts, apply aliases, then import values.</summary>
    public static void ProcessDependencies(ChartData chart, Dictionary<string, object?> user)
    {
        ProcessEnabled(chart, user, "");
        ProcessImports(chart);
    }

    private static void ProcessEnabled(ChartData c, Dictionary<string, object?> v, string path)
    {
        var reqs = c.Metadata.Dependencies;
        if (reqs.Count == 0) return;
        var deps = new List<ChartData>();
        foreach (var existing in c.Dependencies)
        {
            if (!reqs.Any(r => r.Name == existing.Name && Compatible(r.Version, existing.Metadata.Version))) deps.Add(existing);
        }
        foreach (var req in reqs)
        {
            var found = c.Dependencies.FirstOrDefault(ch => ch.Name == req.Name && Compatible(req.Version, ch.Metadata.Version));
            if (found is not null)
            {
                var dep = req.Alias.Length > 0 ? found.WithName(req.Alias) : found;
                dep.Parent = c;
                deps.Add(dep);
            }
            if (req.Alias.Length > 0) req.Name = req.Alias;
        }
        c.Dependencies = deps;
        foreach (var r in reqs) r.Enabled = true;
        var cvals = Coalesce(c, v, merge: false);
        ProcessTags(reqs, cvals);
        ProcessConditions(reqs, cvals, path);
        var disabled = reqs.Where(r => !r.Enabled).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        c.Dependencies = c.Dependencies.Where(d => !disabled.Contains(d.Name)).ToList();
        foreach (var t in c.Dependencies) ProcessEnabled(t, cvals, path + t.Name + ".");
    }

    private static bool Compatible(string constraint, string version)
    {
        if (constraint.Length == 0) return true;
        var v = SemVersion.TryParse(version);
        return v is not null && SemVerConstraint.TryParse(constraint) is { } c && c.Check(v);
    }

    private static void ProcessTags(List<ChartDependency> reqs, Dictionary<string, object?> cvals)
    {
        if (cvals.GetValueOrDefault("tags") is not Dictionary<string, object?> tags) return;
        foreach (var r in reqs)
        {
            bool hasTrue = false, hasFalse = false;
            foreach (var k in r.Tags)
            {
                if (tags.GetValueOrDefault(k) is bool b) { if (b) hasTrue = true; else hasFalse = true; }
            }
            if (!hasTrue && hasFalse) r.Enabled = false;
            else if (hasTrue || !hasFalse) r.Enabled = true;
        }
    }

    private static void ProcessConditions(List<ChartDependency> reqs, Dictionary<string, object?> cvals, string path)
    {
        foreach (var r in reqs)
        {
            foreach (var cond in r.Condition.Trim().Split(','))
            {
                var c = cond.Trim();
                if (c.Length == 0) continue;
                if (TryPath(cvals, path + c, out var vv) && vv is bool b) { r.Enabled = b; break; }
            }
        }
    }

    private static void ProcessImports(ChartData c)
    {
        foreach (var d in c.Dependencies) ProcessImports(d);
        if (c.Metadata.Dependencies.Count == 0) return;
        var cvals = Coalesce(c, null, merge: true);
        var b = GoValues.NewMap();
        foreach (var r in c.Metadata.Dependencies)
        {
            var outiv = new List<object?>();
            foreach (var riv in r.ImportValues)
            {
                switch (riv)
                {
                    case Dictionary<string, object?> iv:
                    {
                        var child = iv.GetValueOrDefault("child") as string ?? "";
                        var parent = iv.GetValueOrDefault("parent") as string ?? "";
                        outiv.Add(new Dictionary<string, object?> { ["child"] = child, ["parent"] = parent });
                        if (TryPath(cvals, r.Name + "." + child, out var vv) && vv is Dictionary<string, object?> table)
                            b = MergeTables(b, PathToMap(parent, Copy(table)));
                        break;
                    }
                    case string s:
                    {
                        var child = "exports." + s;
                        outiv.Add(new Dictionary<string, object?> { ["child"] = child, ["parent"] = "." });
                        if (TryPath(cvals, r.Name + "." + child, out var vm) && vm is Dictionary<string, object?> table)
                            b = MergeTables(b, Copy(table));
                        break;
                    }
                }
            }
            r.ImportValues = outiv;
        }
        // Imported values have lower priority than the parent's own values.
        c.Values = MergeTables(Copy(cvals), b);
    }

    /// <summary>MergeTables: dst wins, src fills, nested maps merge; nulls are kept.</summary>
    private static Dictionary<string, object?> MergeTables(Dictionary<string, object?> dst, Dictionary<string, object?> src) =>
        CoalesceTables(dst, src, merge: true);

    private static Dictionary<string, object?> PathToMap(string path, Dictionary<string, object?> data)
    {
        if (path == ".") return data;
        var parts = path.Split('.', StringSplitOptions.RemoveEmptyEntries);
        var result = data;
        for (var i = parts.Length - 1; i >= 0; i--) result = new Dictionary<string, object?>(StringComparer.Ordinal) { [parts[i]] = result };
        return result;
    }
}
