using System.Globalization;
using System.Text.RegularExpressions;
using GitOps.Templating;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Chart;

/// <summary>values.schema.json validation (the JSON Schema keywords charts use), with gojsonschema-style messages.</summary>
internal static class Schema
{
    public static List<string> Validate(string schemaJson, object? values)
    {
        object? schema;
        try { schema = GoJson.Read(schemaJson); }
        catch (GoJsonException e) { return [$"(root): invalid values.schema.json: {e.Message}"]; }
        var errors = new List<string>();
        Check(schema, values, "(root)", schema, errors, 0);
        return errors;
    }

    private static string TypeOf(object? v) => v switch
    {
        null => "null",
        bool => "boolean",
        string => "string",
        double d => d == Math.Floor(d) && !double.IsInfinity(d) ? "integer" : "number",
        long => "integer",
        List<object?> => "array",
        Dictionary<string, object?> => "object",
        _ => "string",
    };

    private static bool IsType(object? v, string type) => type switch
    {
        "number" => v is double or long,
        "integer" => TypeOf(v) == "integer",
        _ => TypeOf(v) == type,
    };

    private static string Child(string path, string key) => path == "(root)" ? key : path + "." + key;

    private static void Check(object? schema, object? v, string path, object? root, List<string> errors, int depth)
    {
        if (depth > 64 || schema is not Dictionary<string, object?> s) { if (schema is false) errors.Add($"{path}: False always fails validation"); return; }
        if (s.GetValueOrDefault("$ref") is string r && r.StartsWith("#/", StringComparison.Ordinal))
        {
            object? target = root;
            foreach (var part in r[2..].Split('/')) target = (target as Dictionary<string, object?>)?.GetValueOrDefault(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            Check(target, v, path, root, errors, depth + 1);
            return;
        }
        switch (s.GetValueOrDefault("type"))
        {
            case string t when !IsType(v, t):
                errors.Add($"{path}: Invalid type. Expected: {t}, given: {TypeOf(v)}");
                return;
            case List<object?> ts when !ts.OfType<string>().Any(t => IsType(v, t)):
                errors.Add($"{path}: Invalid type. Expected: {string.Join("/", ts)}, given: {TypeOf(v)}");
                return;
        }
        if (s.GetValueOrDefault("enum") is List<object?> en && !en.Any(e => GoValues.DeepEqual(Num(e), Num(v))))
            errors.Add($"{path}: {path} must be one of the following: {string.Join(", ", en.Select(e => GoJson.Write(e)))}");
        if (s.TryGetValue("const", out var c) && !GoValues.DeepEqual(Num(c), Num(v)))
            errors.Add($"{path}: {path} does not match: {GoJson.Write(c)}");
        if (v is double or long)
        {
            var d = Convert.ToDouble(v, CultureInfo.InvariantCulture);
            if (s.GetValueOrDefault("minimum") is double min && d < min) errors.Add($"{path}: Must be greater than or equal to {GoFormat.FormatFloat(min, 'g', -1)}");
            if (s.GetValueOrDefault("maximum") is double max && d > max) errors.Add($"{path}: Must be less than or equal to {GoFormat.FormatFloat(max, 'g', -1)}");
            if (s.GetValueOrDefault("exclusiveMinimum") is double emin && d <= emin) errors.Add($"{path}: Must be greater than {GoFormat.FormatFloat(emin, 'g', -1)}");
            if (s.GetValueOrDefault("exclusiveMaximum") is double emax && d >= emax) errors.Add($"{path}: Must be less than {GoFormat.FormatFloat(emax, 'g', -1)}");
        }
        if (v is string str)
        {
            var len = str.EnumerateRunes().Count();
            if (s.GetValueOrDefault("minLength") is double minL && len < minL) errors.Add($"{path}: String length must be greater than or equal to {minL}");
            if (s.GetValueOrDefault("maxLength") is double maxL && len > maxL) errors.Add($"{path}: String length must be less than or equal to {maxL}");
            if (s.GetValueOrDefault("pattern") is string pat && !Regex.IsMatch(str, pat, RegexOptions.None, TimeSpan.FromSeconds(1)))
                errors.Add($"{path}: Does not match pattern '{pat}'");
        }
        if (v is List<object?> list)
        {
            if (s.GetValueOrDefault("minItems") is double minI && list.Count < minI) errors.Add($"{path}: Array must have at least {minI} items");
            if (s.GetValueOrDefault("maxItems") is double maxI && list.Count > maxI) errors.Add($"{path}: Array must have at most {maxI} items");
            if (s.GetValueOrDefault("items") is Dictionary<string, object?> items)
                for (var i = 0; i < list.Count; i++) Check(items, list[i], path + "." + i.ToString(CultureInfo.InvariantCulture), root, errors, depth + 1);
        }
        if (v is Dictionary<string, object?> obj)
        {
            if (s.GetValueOrDefault("required") is List<object?> req)
                foreach (var name in req.OfType<string>())
                    if (!obj.ContainsKey(name)) errors.Add($"{path}: {name} is required");
            var props = s.GetValueOrDefault("properties") as Dictionary<string, object?>;
            foreach (var (k, val) in obj)
            {
                if (props is not null && props.TryGetValue(k, out var ps)) { Check(ps, val, Child(path, k), root, errors, depth + 1); continue; }
                switch (s.GetValueOrDefault("additionalProperties"))
                {
                    case false: errors.Add($"{path}: Additional property {k} is not allowed"); break;
                    case Dictionary<string, object?> ap: Check(ap, val, Child(path, k), root, errors, depth + 1); break;
                }
            }
        }
        foreach (var (keyword, need) in new[] { ("allOf", -1), ("anyOf", 1), ("oneOf", 0) })
        {
            if (s.GetValueOrDefault(keyword) is not List<object?> subs) continue;
            var passing = subs.Count(sub => { var e = new List<string>(); Check(sub, v, path, root, e, depth + 1); return e.Count == 0; });
            if (need == -1 && passing != subs.Count) errors.Add($"{path}: Must validate all the schemas (allOf)");
            if (need == 1 && passing == 0) errors.Add($"{path}: Must validate at least one schema (anyOf)");
            if (need == 0 && passing != 1) errors.Add($"{path}: Must validate one and only one schema (oneOf)");
        }
        if (s.GetValueOrDefault("not") is { } not)
        {
            var e = new List<string>();
            Check(not, v, path, root, e, depth + 1);
            if (e.Count == 0) errors.Add($"{path}: Must not validate the schema (not)");
        }
    }

    private static object? Num(object? v) => v is long l ? (double)l : v;
}
