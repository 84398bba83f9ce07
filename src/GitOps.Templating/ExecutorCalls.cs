namespace GitOps.Templating;

/// <summary>A function failed; the executor reports it as Go does: "error calling NAME: MESSAGE".</summary>
public sealed class FunctionException(string message) : Exception(message);

internal sealed partial class Executor
{
    private object? EvalCall(object? dot, GoFunction fn, Node node, string name, List<Node> args, object? final)
    {
        var argCount = args.Count - 1;
        var numIn = argCount + (final != MissingVal ? 1 : 0);
        var fixedCount = fn.Params.Length;
        if (fn.Variadic is not null)
        {
            if (numIn < fixedCount) throw Error(node, $"wrong number of args for {name}: want at least {fixedCount} got {numIn}");
        }
        else if (numIn != fixedCount) throw Error(node, $"wrong number of args for {name}: want {fixedCount} got {numIn}");

        if (name is "and" or "or" && ReferenceEquals(fn, _set.Functions.GetValueOrDefault(name)) && fn.Invoke == Builtins.LazyMarker)
        {
            // Go >= 1.18 evaluates and/or arguments lazily and returns the deciding value.
            object? v = null;
            for (var i = 1; i < args.Count; i++)
            {
                v = EvalArg(dot, ArgKind.Any, args[i]);
                if (GoValues.Truth(v) == (name == "or")) return v;
            }
            if (final != MissingVal) v = GoValues.Unwrap(final);
            return v;
        }

        var argv = new object?[numIn];
        for (var i = 0; i < argCount; i++) argv[i] = EvalArg(dot, fn.KindAt(i), args[i + 1]);
        if (final != MissingVal) argv[numIn - 1] = ValidateType(node, final, fn.KindAt(numIn - 1));
        try
        {
            return fn.Invoke(new CallContext(this, dot), argv);
        }
        catch (FunctionException e)
        {
            throw Error(node, $"error calling {name}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or FormatException or OverflowException
            or IndexOutOfRangeException or KeyNotFoundException or NullReferenceException or InvalidOperationException
            or System.Text.RegularExpressions.RegexMatchTimeoutException or DivideByZeroException)
        {
            throw Error(node, $"error calling {name}: {e.Message}");
        }
    }

    private object? EvalArg(object? dot, ArgKind kind, Node n)
    {
        switch (n)
        {
            case DotNode: return ValidateType(n, dot, kind);
            case NilNode:
                if (kind is ArgKind.Any or ArgKind.Map) return null;
                throw Error(n, $"cannot assign nil to {KindName(kind)}");
            case FieldNode f: return ValidateType(n, EvalFieldChain(dot, dot, f, f.Ident, [n], MissingVal), kind);
            case VariableNode v: return ValidateType(n, EvalVariable(dot, v, [n], MissingVal), kind);
            case PipeNode p: return ValidateType(n, EvalPipeline(dot, p), kind);
            case IdentifierNode id:
                var fn = _set.Functions.GetValueOrDefault(id.Name) ?? throw Error(id, $"{GoFormat.Quote(id.Name)} is not a defined function");
                return ValidateType(n, EvalCall(dot, fn, id, id.Name, [id], MissingVal), kind);
            case ChainNode c: return ValidateType(n, EvalChain(dot, c, [n], MissingVal), kind);
        }
        switch (kind)
        {
            case ArgKind.Bool:
                return n is BoolNode b ? b.Value : throw Error(n, $"expected bool; found {n}");
            case ArgKind.String:
                return n is StringNode s ? s.Text : throw Error(n, $"expected string; found {n}");
            case ArgKind.Int:
                return n is NumberNode { IsInt: true } i ? i.Int : throw Error(n, $"expected integer; found {n}");
            case ArgKind.Float:
                return n is NumberNode { IsFloat: true } f ? f.Float : throw Error(n, $"expected float; found {n}");
            case ArgKind.Map:
                throw Error(n, $"can't handle {n} for arg of type map[string]interface {{}}");
        }
        return n switch
        {
            BoolNode b => b.Value,
            NumberNode num => IdealConstant(num),
            StringNode s => s.Text,
            _ => throw Error(n, $"can't handle assignment of {n} to empty interface argument"),
        };
    }

    private static string KindName(ArgKind kind) => kind switch
    {
        ArgKind.String => "string",
        ArgKind.Int => "int",
        ArgKind.Float => "float64",
        ArgKind.Bool => "bool",
        ArgKind.Map => "map[string]interface {}",
        _ => "interface {}",
    };

    private object? ValidateType(Node node, object? value, ArgKind kind)
    {
        if (value is NoValue)
        {
            if (kind is ArgKind.Any or ArgKind.Map) return null;
            throw Error(node, $"invalid value; expected {KindName(kind)}");
        }
        var ok = kind switch
        {
            ArgKind.Any => true,
            ArgKind.String => value is string,
            ArgKind.Int => value is long or int,
            ArgKind.Float => value is double,
            ArgKind.Bool => value is bool,
            ArgKind.Map => value is Dictionary<string, object?>,
            _ => true,
        };
        if (ok) return value is int i ? (long)i : value;
        throw Error(node, $"wrong type for value; expected {KindName(kind)}; got {(value is null ? "interface {}" : GoValues.TypeName(value))}");
    }
}
