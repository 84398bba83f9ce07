using System.Collections.Frozen;

namespace GitOps.Templating.Functions;

/// <summary>The function table: text/template built-ins, Sprig and Helm's functions. Immutable once built.</summary>
public static class FunctionLibrary
{
    /// <summary>Sprig/Helm functions we do not implement; calling one is a clear error, not a parse failure.</summary>
    internal static readonly IReadOnlyList<string> Unsupported =
    [
        "bcrypt", "htpasswd", "derivePassword",
    ];

    public static FrozenDictionary<string, GoFunction> Create(Func<DateTimeOffset>? now = null, Func<Random>? random = null)
    {
        now ??= () => DateTimeOffset.Now;
        random ??= () => Random.Shared;
        var t = new Dictionary<string, GoFunction>(StringComparer.Ordinal);
        Builtins.Register(t);
        Strings.Register(t, random);
        Lists.Register(t);
        Dicts.Register(t);
        MathFunctions.Register(t, random);
        EncodingFunctions.Register(t, random);
        Misc.Register(t);
        Dates.Register(t, now);
        Durations.Register(t);
        Crypto.Register(t);
        Semver.Register(t);
        // Helm resolves names only with --enable-dns; rendering never touches the network.
        t["getHostByName"] = GoFunction.Of("getHostByName", "s", (_, _) => "");
        // Helm's engine layers its own functions over Sprig's (and replaces fail).
        HelmFunctions.Register(t);
        foreach (var name in Unsupported)
        {
            t[name] = new GoFunction(name, [], ArgKind.Any, (_, _) => throw new FunctionException($"function {name} is not supported"));
        }
        return t.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
