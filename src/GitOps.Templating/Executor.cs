using System.Runtime.CompilerServices;
using System.Text;

namespace GitOps.Templating;

/// <summary>What a function sees of the running template: the executor (for include/tpl) and dot.</summary>
public sealed class CallContext
{
    internal CallContext(Executor executor, object? dot)
    {
        Executor = executor;
        Dot = dot;
    }

    internal Executor Executor { get; }
    public object? Dot { get; }
}

/// <summary>Walks a parse tree as Go's text/template exec.go does.</summary>
internal sealed partial class Executor
{
    private enum Flow { Normal, Break, Continue }

    /// <summary>Marks "no final value" in a pipeline command (Go's missingVal).</summary>
    private static readonly object MissingVal = new();

    private readonly TemplateSet _set;
    private readonly ExecutionBudget _budget;
    private readonly StringBuilder _out;
    private readonly int _depth;
    private readonly List<(string Name, object? Value)> _vars = [];
    private Tree _tree = null!;

    public Executor(TemplateSet set, ExecutionBudget budget, StringBuilder output, int depth)
    {
        _set = set;
        _budget = budget;
        _out = output;
        _depth = depth;
    }

    public TemplateSet Set => _set;
    public ExecutionBudget Budget => _budget;
    public int Depth => _depth;

    public void Run(Tree tree, object? data)
    {
        if (_depth > _budget.Limits.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new TemplateException($"template: {tree.Name}: exceeded maximum template depth ({_budget.Limits.MaxDepth})");
        _tree = tree;
        _vars.Add(("$", data));
        Walk(data, tree.Root);
    }

    /// <summary>Executes a named template into a string (Helm's include).</summary>
    public string ExecuteTemplate(string name, object? data)
    {
        var tree = _set.Lookup(name) ?? throw new FunctionException($"template: no template {GoFormat.Quote(name)} associated with template {GoFormat.Quote(_tree.Name)}");
        var sb = new StringBuilder();
        new Executor(_set, _budget, sb, _depth + 1).Run(tree, data);
        return sb.ToString();
    }

    /// <summary>Executes a template of another set (an overlay) sharing this execution's budget.</summary>
    public string ExecuteIn(TemplateSet set, string name, object? data)
    {
        var tree = set.Lookup(name) ?? throw new FunctionException($"template: no template {GoFormat.Quote(name)}");
        var sb = new StringBuilder();
        new Executor(set, _budget, sb, _depth + 1).Run(tree, data);
        return sb.ToString();
    }

    private TemplateException Error(Node node, string message)
    {
        var context = node.ToString();
        if (context.Length > 20) context = context[..20] + "...";
        var location = _tree.Location(node.Pos);
        return new TemplateException($"template: {location}: executing {GoFormat.Quote(_tree.Name)} at <{context}>: {message}", location);
    }

    private void Emit(string s)
    {
        _out.Append(s);
        _budget.OutputChars += s.Length;
        if (_budget.OutputChars > _budget.Limits.MaxOutputChars)
            throw new TemplateException($"template: {_tree.Name}: output exceeds the limit of {_budget.Limits.MaxOutputChars} characters");
    }

    private Flow Walk(object? dot, Node node)
    {
        _budget.Step();
        switch (node)
        {
            case TextNode t: Emit(t.Text); return Flow.Normal;
            case ActionNode a:
            {
                var value = EvalPipeline(dot, a.Pipe);
                if (a.Pipe.Decl.Count == 0) PrintValue(a, value);
                return Flow.Normal;
            }
            case ListNode l:
                foreach (var n in l.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal) return flow;
                }
                return Flow.Normal;
            case BranchNode b when b.Kind == BranchKind.Range: return WalkRange(dot, b);
            case BranchNode b: return WalkIfOrWith(dot, b);
            case TemplateNode t: WalkTemplate(dot, t); return Flow.Normal;
            case BreakNode: return Flow.Break;
            case ContinueNode: return Flow.Continue;
            case CommentNode: return Flow.Normal;
            default: throw Error(node, $"unknown node: {node}");
        }
    }

    private void PrintValue(Node node, object? value)
    {
        switch (value)
        {
            case null or NoValue: Emit("<no value>"); return;
            case string s: Emit(s); return;
            case GoFunction: throw Error(node, $"can't print {node} of type func");
            default: Emit(GoFormat.Value(value)); return;
        }
    }

    private Flow WalkIfOrWith(object? dot, BranchNode b)
    {
        var mark = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, b.Pipe);
            if (GoValues.Truth(value))
                return Walk(b.Kind == BranchKind.With ? value : dot, b.List);
            if (b.ElseList is not null) return Walk(dot, b.ElseList);
            return Flow.Normal;
        }
        finally { Pop(mark); }
    }

    private Flow WalkRange(object? dot, BranchNode r)
    {
        var mark = _vars.Count;
        try
        {
            var value = GoValues.Unwrap(EvalPipeline(dot, r.Pipe));
            var iterMark = _vars.Count;
            var any = false;
            Flow OneIteration(object? index, object? elem)
            {
                var decl = r.Pipe.Decl;
                if (decl.Count > 0 && r.Pipe.IsAssign)
                {
                    // Go 1.22: "range $x = ..." assigns to existing variables.
                    if (decl.Count > 1) { SetVar(decl[0].Ident[0], index); SetVar(decl[1].Ident[0], elem); }
                    else SetVar(decl[0].Ident[0], elem);
                }
                else if (decl.Count > 0)
                {
                    SetTopVar(1, elem);
                    if (decl.Count > 1) SetTopVar(2, index);
                }
                any = true;
                var flow = Walk(elem, r.List);
                Pop(iterMark);
                return flow;
            }
            switch (value)
            {
                case List<object?> list:
                    for (var i = 0; i < list.Count; i++)
                        if (OneIteration((long)i, list[i]) == Flow.Break) break;
                    break;
                case Dictionary<string, object?> map:
                    foreach (var k in GoValues.SortedKeys(map))
                        if (OneIteration(k, map[k]) == Flow.Break) break;
                    break;
                case long n:
                    if (r.Pipe.Decl.Count > 1) throw Error(r, $"can't use {n} to iterate over more than one variable");
                    for (long i = 0; i < n; i++)
                        if (OneIteration(i, i) == Flow.Break) break;
                    break;
                case null: break;
                case byte[] bytes:
                    for (var i = 0; i < bytes.Length; i++)
                        if (OneIteration((long)i, (long)bytes[i]) == Flow.Break) break;
                    break;
                default: throw Error(r, $"range can't iterate over {GoFormat.Value(value)}");
            }
            if (!any && r.ElseList is not null) return Walk(dot, r.ElseList);
            return Flow.Normal;
        }
        finally { Pop(mark); }
    }

    private void WalkTemplate(object? dot, TemplateNode t)
    {
        var tree = _set.Lookup(t.Name) ?? throw Error(t, $"template {GoFormat.Quote(t.Name)} not defined");
        if (_depth >= _budget.Limits.MaxDepth) throw Error(t, $"exceeded maximum template depth ({_budget.Limits.MaxDepth})");
        var newDot = t.Pipe is null ? null : GoValues.Unwrap(EvalPipeline(dot, t.Pipe));
        new Executor(_set, _budget, _out, _depth + 1).Run(tree, newDot);
    }

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);

    private void SetTopVar(int n, object? value) => _vars[^n] = (_vars[^n].Name, value);

    private void SetVar(string name, object? value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name) { _vars[i] = (name, value); return; }
        }
        throw new TemplateException($"template: {_tree.Name}: undefined variable: {name}");
    }

    private object? VarValue(Node node, string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--) if (_vars[i].Name == name) return _vars[i].Value;
        throw Error(node, $"undefined variable: {name}");
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        object? value = MissingVal;
        foreach (var cmd in pipe.Cmds)
        {
            value = EvalCommand(dot, cmd, value);
            // A nil interface{} result becomes an invalid value, like Go's "lovely!" dig-down.
            if (value is null) value = NoValue.Instance;
        }
        foreach (var v in pipe.Decl)
        {
            if (pipe.IsAssign) SetVar(v.Ident[0], value);
            else _vars.Add((v.Ident[0], value));
        }
        return value;
    }

    private object? EvalCommand(object? dot, CommandNode cmd, object? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode f: return EvalFieldChain(dot, dot, f, f.Ident, cmd.Args, final);
            case ChainNode c: return EvalChain(dot, c, cmd.Args, final);
            case IdentifierNode id:
                var fn = _set.Functions.GetValueOrDefault(id.Name) ?? throw Error(id, $"{GoFormat.Quote(id.Name)} is not a defined function");
                return EvalCall(dot, fn, cmd, id.Name, cmd.Args, final);
            case PipeNode p:
                NotAFunction(cmd, cmd.Args, final);
                return EvalPipeline(dot, p);
            case VariableNode v: return EvalVariable(dot, v, cmd.Args, final);
        }
        NotAFunction(first, cmd.Args, final);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Error(first, "nil is not a command"),
            NumberNode n => IdealConstant(n),
            StringNode s => s.Text,
            _ => throw Error(first, $"can't evaluate command {first}"),
        };
    }

    private void NotAFunction(Node node, List<Node> args, object? final)
    {
        if (args.Count > 1 || final != MissingVal) throw Error(node, $"can't give argument to non-function {args[0]}");
    }

    private static object IdealConstant(NumberNode n)
    {
        if (n.IsComplex) return n.Complex;
        if (n.IsChar) return n.Int;
        if (n.IsFloat && !n.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && n.Text.AsSpan().IndexOfAny(".eEpP") >= 0)
            return n.Float;
        if (n.IsInt) return n.Int;
        if (n.IsUint) return n.Float;
        return n.Float;
    }

    private object? EvalChain(object? dot, ChainNode chain, List<Node> args, object? final)
    {
        if (chain.Field.Count == 0) throw Error(chain, "internal error: no fields in evalChainNode");
        if (chain.Node is NilNode) throw Error(chain, $"indirection through explicit nil in {chain}");
        // An invalid (missing) value stays invalid here, as Go's evalArg with a nil type keeps it.
        var pipe = chain.Node is PipeNode p ? EvalPipeline(dot, p) : EvalArg(dot, ArgKind.Any, chain.Node);
        return EvalFieldChain(dot, pipe, chain, chain.Field, args, final);
    }

    private object? EvalVariable(object? dot, VariableNode v, List<Node> args, object? final)
    {
        var value = VarValue(v, v.Ident[0]);
        if (v.Ident.Length == 1)
        {
            NotAFunction(v, args, final);
            return value;
        }
        return EvalFieldChain(dot, value, v, v.Ident.AsSpan(1).ToArray(), args, final);
    }

    private object? EvalFieldChain(object? dot, object? receiver, Node node, IReadOnlyList<string> ident, List<Node> args, object? final)
    {
        var n = ident.Count;
        for (var i = 0; i < n - 1; i++) receiver = EvalField(dot, ident[i], node, [], MissingVal, receiver);
        return EvalField(dot, ident[n - 1], node, args, final, receiver);
    }

    private object? EvalField(object? dot, string fieldName, Node node, List<Node> args, object? final, object? receiver)
    {
        switch (receiver)
        {
            case NoValue:
                if (_set.MissingKey == MissingKey.Error) throw Error(node, $"nil data; no entry for key {GoFormat.Quote(fieldName)}");
                return NoValue.Instance;
            case null:
                throw Error(node, $"nil pointer evaluating interface {{}}.{fieldName}");
        }
        var hasArgs = args.Count > 1 || final != MissingVal;
        switch (receiver)
        {
            case IGoObject obj:
                if (obj.GetMethod(fieldName) is { } method) return EvalCall(dot, method, node, fieldName, args, final);
                if (obj.TryGetField(fieldName, out var fv))
                {
                    if (hasArgs) throw Error(node, $"{fieldName} has arguments but cannot be invoked as function");
                    return fv;
                }
                throw Error(node, $"can't evaluate field {fieldName} in type {obj.GoTypeName}");
            case GoMapObject typed when typed.GetMethod(fieldName) is { } mapMethod:
                return EvalCall(dot, mapMethod, node, fieldName, args, final);
            case Dictionary<string, object?> map:
                if (hasArgs) throw Error(node, $"{fieldName} is not a method but has arguments");
                if (map.TryGetValue(fieldName, out var value)) return value;
                return _set.MissingKey switch
                {
                    MissingKey.Zero => null,
                    MissingKey.Error => throw Error(node, $"map has no entry for key {GoFormat.Quote(fieldName)}"),
                    _ => NoValue.Instance,
                };
        }
        throw Error(node, $"can't evaluate field {fieldName} in type {GoValues.TypeName(receiver)}");
    }
}
