using System.Diagnostics;
using System.Text;

namespace GitOps.Templating;

/// <summary>What a missing map key evaluates to (text/template's missingkey option).</summary>
public enum MissingKey { Default, Zero, Error }

/// <summary>Bounds on one execution: nesting depth, output size, wall-clock time.</summary>
public sealed record ExecutionLimits(int MaxDepth = 200, int MaxOutputChars = 64 * 1024 * 1024, TimeSpan? Timeout = null)
{
    public static ExecutionLimits Default { get; } = new(Timeout: TimeSpan.FromSeconds(30));
}

/// <summary>A set of named templates sharing one function table (Go's *template.Template with its common map).</summary>
public sealed class TemplateSet(IReadOnlyDictionary<string, GoFunction> functions, MissingKey missingKey = MissingKey.Default)
{
    private readonly Dictionary<string, Tree> _trees = new(StringComparer.Ordinal);
    private TemplateSet? _parent;

    /// <summary>A set that sees this one's templates but keeps its own additions (Helm's tpl parses into a clone).</summary>
    internal TemplateSet Overlay() => new(Functions, MissingKey) { _parent = this };

    public IReadOnlyDictionary<string, GoFunction> Functions { get; } = functions;
    public MissingKey MissingKey { get; } = missingKey;

    /// <summary>Parses <paramref name="text"/> as template <paramref name="name"/> (its defines join the set).</summary>
    public void Parse(string name, string text)
    {
        var defined = new Dictionary<string, Tree>(StringComparer.Ordinal);
        var tree = Parser.Parse(name, text, Functions.ContainsKey, defined);
        foreach (var (_, v) in defined) Add(v);
        // A non-empty define of the template's own name wins over an empty main body.
        if (!(defined.TryGetValue(name, out var own) && tree.IsEmpty() && !own.IsEmpty())) Add(tree);
    }

    private void Add(Tree tree)
    {
        if ((_trees.GetValueOrDefault(tree.Name) ?? _parent?.Lookup(tree.Name)) is { } old && tree.IsEmpty() && !old.IsEmpty()) return;
        _trees[tree.Name] = tree;
    }

    internal Tree? Lookup(string name) => _trees.GetValueOrDefault(name) ?? _parent?.Lookup(name);

    public bool Has(string name) => Lookup(name) is not null;

    /// <summary>Executes template <paramref name="name"/> with <paramref name="data"/> as dot.</summary>
    public string Execute(string name, object? data, ExecutionLimits? limits = null, CancellationToken cancellationToken = default)
    {
        var tree = Lookup(name) ?? throw new TemplateException($"template: no template {GoFormat.Quote(name)} associated with template {GoFormat.Quote(name)}");
        var budget = new ExecutionBudget(limits ?? ExecutionLimits.Default, cancellationToken);
        var sb = new StringBuilder();
        new Executor(this, budget, sb, 0).Run(tree, data ?? NoValue.Instance);
        return sb.ToString();
    }
}

/// <summary>Shared across nested executions (include, tpl, template): depth, output and time accounting.</summary>
internal sealed class ExecutionBudget(ExecutionLimits limits, CancellationToken cancellationToken)
{
    private readonly long _deadline = limits.Timeout is { } t ? Stopwatch.GetTimestamp() + (long)(t.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
    private int _steps;

    public ExecutionLimits Limits { get; } = limits;
    public long OutputChars { get; set; }

    /// <summary>Names being include'd, counted to stop runaway recursion with Helm's message.</summary>
    public Dictionary<string, int> Included { get; } = new(StringComparer.Ordinal);

    public void Step()
    {
        if ((++_steps & 1023) != 0) return;
        cancellationToken.ThrowIfCancellationRequested();
        if (Stopwatch.GetTimestamp() > _deadline)
            throw new TemplateException($"template execution exceeded the time limit of {Limits.Timeout?.TotalSeconds}s");
    }
}
