using System.Text;
using GitOps.Primitives;

namespace GitOps.Templating;

/// <summary>A Go function callable from templates; args arrive already evaluated.</summary>
public delegate object? GoFunc(CallContext context, object?[] args);

/// <summary>Go parameter types that matter for argument conversion: interface{}, string, int, float64, bool, map.</summary>
public enum ArgKind { Any, String, Int, Float, Bool, Map }

/// <summary>A function table entry. Params/Variadic mirror the Go signature so arguments are checked and
/// converted as reflect does ("wrong type for value; expected string; got float64").</summary>
public sealed record GoFunction(string Name, ArgKind[] Params, ArgKind? Variadic, GoFunc Invoke)
{
    /// <summary>Signature shorthand: s string, i int, f float64, b bool, m map, a interface{}; a trailing * makes the last variadic.</summary>
    public static GoFunction Of(string name, string sig, GoFunc invoke)
    {
        var variadic = sig.EndsWith('*');
        var kinds = sig.TrimEnd('*').Select(c => c switch
        {
            's' => ArgKind.String, 'i' => ArgKind.Int, 'f' => ArgKind.Float, 'b' => ArgKind.Bool, 'm' => ArgKind.Map,
            _ => ArgKind.Any,
        }).ToArray();
        return variadic
            ? new GoFunction(name, kinds[..^1], kinds[^1], invoke)
            : new GoFunction(name, kinds, null, invoke);
    }

    public ArgKind KindAt(int i) => i < Params.Length ? Params[i] : Variadic ?? ArgKind.Any;
}

/// <summary>Go's invalid reflect.Value: a missing map key under missingkey=default; prints "&lt;no value&gt;".</summary>
public sealed class NoValue
{
    public static readonly NoValue Instance = new();
    private NoValue() { }
    public override string ToString() => "<no value>";
}

/// <summary>A Go struct-like object (Helm's .Release, .Chart, .Files, semver.Version): fields and methods.</summary>
public interface IGoObject
{
    string GoTypeName { get; }
    bool TryGetField(string name, out object? value);
    GoFunction? GetMethod(string name);
    /// <summary>Go's %v rendering of the value.</summary>
    string Format();
}

/// <summary>A Go map of a named type with methods (Helm's chartutil.Values, engine.files): a map in every respect
/// (range, index, len, truth, printing), its methods found before its keys as Go's evalField does, and deepCopy keeps
/// its type as Go's copystructure does.</summary>
public abstract class GoMapObject : Dictionary<string, object?>
{
    protected GoMapObject() : base(StringComparer.Ordinal) { }

    public abstract string GoTypeName { get; }

    public abstract GoFunction? GetMethod(string name);

    /// <summary>An empty map of the same type, for deepCopy.</summary>
    public abstract GoMapObject NewEmpty();
}

/// <summary>Helpers over the runtime value model: null, bool, long (int), double (float64), string,
/// Dictionary&lt;string, object?&gt; (map[string]interface{}), List&lt;object?&gt; ([]interface{}), byte[], IGoObject.</summary>
public static class GoValues
{
    public static Dictionary<string, object?> NewMap() => new(StringComparer.Ordinal);

    public static string TypeName(object? v) => v switch
    {
        null or NoValue => "<nil>",
        string => "string",
        bool => "bool",
        long => "int",
        int => "int",
        double => "float64",
        System.Numerics.Complex => "complex128",
        GoMapObject m => m.GoTypeName,
        Dictionary<string, object?> => "map[string]interface {}",
        List<object?> => "[]interface {}",
        byte[] => "[]uint8",
        DateTimeOffset => "time.Time",
        GoDuration => "time.Duration",
        IGoObject o => o.GoTypeName,
        GoFunction => "func",
        _ => v.GetType().Name,
    };

    /// <summary>Go's reflect Kind name, as sprig's kindOf prints it.</summary>
    public static string KindName(object? v) => v switch
    {
        null or NoValue => "invalid",
        string => "string",
        bool => "bool",
        long or int => "int",
        double => "float64",
        Dictionary<string, object?> => "map",
        List<object?> or byte[] => "slice",
        GoDuration => "int64",
        IGoObject => "ptr",
        GoFunction => "func",
        _ => "struct",
    };

    /// <summary>Go's isTrue for if/with/and/or/not.</summary>
    public static bool Truth(object? v) => v switch
    {
        null or NoValue => false,
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        System.Numerics.Complex c => c != System.Numerics.Complex.Zero,
        string s => s.Length > 0,
        Dictionary<string, object?> m => m.Count > 0,
        List<object?> l => l.Count > 0,
        byte[] b => b.Length > 0,
        GoDuration d => d.Ticks != 0,
        _ => true,
    };

    /// <summary>Sprig's "empty": zero values of their type (struct values are never empty).</summary>
    public static bool Empty(object? v) => !Truth(v) && v is not IGoObject;

    public static bool IsNil(object? v) => v is null or NoValue;

    public static object? Unwrap(object? v) => v is NoValue ? null : v;

    public static int Utf8Length(string s) => Encoding.UTF8.GetByteCount(s);

    /// <summary>Deep copy of maps and lists (values are otherwise immutable).</summary>
    public static object? DeepCopy(object? v) => v switch
    {
        GoMapObject m => CopyInto(m.NewEmpty(), m),
        Dictionary<string, object?> m => m.ToDictionary(kv => kv.Key, kv => DeepCopy(kv.Value), StringComparer.Ordinal),
        List<object?> l => l.Select(DeepCopy).ToList(),
        _ => v,
    };

    private static GoMapObject CopyInto(GoMapObject target, GoMapObject source)
    {
        foreach (var (k, x) in source) target[k] = DeepCopy(x);
        return target;
    }

    public static IEnumerable<string> SortedKeys(Dictionary<string, object?> m)
    {
        var keys = m.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Go's == for comparable basic values (used by eq, has, uniq...).</summary>
    public static bool DeepEqual(object? a, object? b)
    {
        a = Unwrap(a);
        b = Unwrap(b);
        return (a, b) switch
        {
            (null, null) => true,
            (null, _) or (_, null) => false,
            (long x, long y) => x == y,
            (double x, double y) => x.Equals(y),
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (bool x, bool y) => x == y,
            (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => DeepEqual(p.First, p.Second)),
            (Dictionary<string, object?> x, Dictionary<string, object?> y) =>
                x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var o) && DeepEqual(kv.Value, o)),
            _ => a.Equals(b),
        };
    }
}
