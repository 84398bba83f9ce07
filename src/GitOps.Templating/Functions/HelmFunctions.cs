using GitOps.Templating.Serialization;

namespace GitOps.Templating.Functions;

/// <summary>Helm's own template functions (pkg/engine funcs.go) layered over Sprig.</summary>
public static class HelmFunctions
{
    private const string WarnStart = "HELM_ERR_START";
    private const string WarnEnd = "HELM_ERR_END";

    /// <summary>Marks a user-facing message (required/fail) so the chart error reads "execution error at (...): msg".</summary>
    internal static string WarnWrap(string s) => WarnStart + s + WarnEnd;

    /// <summary>Extracts a wrapped message, if any.</summary>
    public static string? Unwrap(string s)
    {
        var a = s.IndexOf(WarnStart, StringComparison.Ordinal);
        var b = s.LastIndexOf(WarnEnd, StringComparison.Ordinal);
        return a >= 0 && b > a ? s[(a + WarnStart.Length)..b] : null;
    }

    internal static void Register(IDictionary<string, GoFunction> t)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("include", "sa", (c, a) => Include(c, (string)a[0]!, a[1]));
        Add("tpl", "sa", (c, a) => Tpl(c, (string)a[0]!, a[1]));
        Add("fail", "s", (_, a) => throw new FunctionException(WarnWrap((string)a[0]!)));
        Add("required", "sa", (_, a) => a[1] is null || a[1] is string { Length: 0 } ? throw new FunctionException(WarnWrap((string)a[0]!)) : a[1]);
        Add("toYaml", "a", (_, a) => ToYaml(a[0], pretty: false, must: false));
        Add("mustToYaml", "a", (_, a) => ToYaml(a[0], pretty: false, must: true));
        Add("toYamlPretty", "a", (_, a) => ToYaml(a[0], pretty: true, must: false));
        Add("fromYaml", "s", (_, a) => FromYaml((string)a[0]!));
        Add("fromYamlArray", "s", (_, a) => FromYamlArray((string)a[0]!));
        Add("toJson", "a", (_, a) => { try { return GoJson.Write(a[0]); } catch (GoJsonException) { return ""; } });
        Add("fromJson", "s", (_, a) => FromJson((string)a[0]!));
        Add("fromJsonArray", "s", (_, a) => FromJsonArray((string)a[0]!));
        Add("lookup", "ssss", (_, _) => GoValues.NewMap());
        Add("toToml", "a", (_, a) => a[0] is Dictionary<string, object?> m ? TryToml(() => Toml.Write(m)) : "");
        Add("mustToToml", "a", (_, a) => a[0] is Dictionary<string, object?> m ? Toml.Write(m) : throw new FunctionException("toml: top-level values must be Go maps or structs"));
        Add("fromToml", "s", (_, a) => FromToml((string)a[0]!));
    }

    private static string Include(CallContext c, string name, object? data)
    {
        var budget = c.Executor.Budget;
        budget.Included.TryGetValue(name, out var n);
        if (n > 1000) throw new FunctionException($"rendering template has a nested reference name: {name}: unable to execute template");
        budget.Included[name] = n + 1;
        try { return c.Executor.ExecuteTemplate(name, data); }
        finally { budget.Included[name] = n; }
    }

    private static string Tpl(CallContext c, string text, object? values)
    {
        var name = values is Dictionary<string, object?> m && m.GetValueOrDefault("Template") is Dictionary<string, object?> tmpl &&
                   tmpl.GetValueOrDefault("Name") is string s ? s : "tpl";
        var overlay = c.Executor.Set.Overlay();
        try
        {
            overlay.Parse(name, text);
            var result = c.Executor.ExecuteIn(overlay, name, values);
            return result.Replace("<no value>", "", StringComparison.Ordinal);
        }
        catch (TemplateException e)
        {
            throw new FunctionException($"error during tpl function execution for {GoFormat.Quote(text)}: {e.Message}");
        }
    }

    private static string TryToml(Func<string> f)
    {
        try { return f(); }
        catch (TomlException e) { return e.Message; }
    }

    private static Dictionary<string, object?> FromToml(string text)
    {
        try { return Toml.Read(text); }
        catch (TomlException e) { return new Dictionary<string, object?> { ["Error"] = e.Message }; }
    }

    public static string ToYaml(object? v, bool pretty, bool must)
    {
        try
        {
            var yaml = pretty ? GoYamlWriter.Write(v, indentSequences: true) : GoYamlWriter.Write(v);
            return yaml.EndsWith('\n') ? yaml[..^1] : yaml;
        }
        catch (GoJsonException e)
        {
            if (must) throw new FunctionException(e.Message);
            return "";
        }
    }

    private static Dictionary<string, object?> FromYaml(string text)
    {
        try
        {
            var v = GoYamlReader.Read(text, numbersAsFloat: true);
            return v switch
            {
                Dictionary<string, object?> m => m,
                null => GoValues.NewMap(),
                _ => new Dictionary<string, object?> { ["Error"] = $"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {GoJson.JsonKind(v)} into Go value of type map[string]interface {{}}" },
            };
        }
        catch (YamlReadException e)
        {
            return new Dictionary<string, object?> { ["Error"] = "error converting YAML to JSON: " + e.Message };
        }
    }

    private static List<object?> FromYamlArray(string text)
    {
        try
        {
            var v = GoYamlReader.Read(text, numbersAsFloat: true);
            return v switch
            {
                List<object?> l => l,
                null => [],
                _ => [$"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {GoJson.JsonKind(v)} into Go value of type []interface {{}}"],
            };
        }
        catch (YamlReadException e)
        {
            return ["error converting YAML to JSON: " + e.Message];
        }
    }

    private static Dictionary<string, object?> FromJson(string text)
    {
        try
        {
            return GoJson.Read(text) switch
            {
                Dictionary<string, object?> m => m,
                null => GoValues.NewMap(),
                var v => new Dictionary<string, object?> { ["Error"] = $"json: cannot unmarshal {GoJson.JsonKind(v)} into Go value of type map[string]interface {{}}" },
            };
        }
        catch (GoJsonException e)
        {
            return new Dictionary<string, object?> { ["Error"] = e.Message };
        }
    }

    private static List<object?> FromJsonArray(string text)
    {
        try
        {
            return GoJson.Read(text) switch
            {
                List<object?> l => l,
                null => [],
                var v => [$"json: cannot unmarshal {GoJson.JsonKind(v)} into Go value of type []interface {{}}"],
            };
        }
        catch (GoJsonException e)
        {
            return [e.Message];
        }
    }
}
