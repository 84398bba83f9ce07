using System.Text;

namespace GitOps.Templating;

/// <summary>A parse tree node; Pos is the byte offset in the template text (for error positions).</summary>
internal abstract class Node(int pos)
{
    public int Pos { get; } = pos;
    public abstract void Write(StringBuilder sb);
    public override string ToString() { var sb = new StringBuilder(); Write(sb); return sb.ToString(); }
}

internal sealed class ListNode(int pos) : Node(pos)
{
    public List<Node> Nodes { get; } = [];
    public override void Write(StringBuilder sb) { foreach (var n in Nodes) n.Write(sb); }
}

internal sealed class TextNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;
    public override void Write(StringBuilder sb) => sb.Append(GoFormat.Quote(Text));
}

internal sealed class CommentNode(int pos, string text) : Node(pos)
{
    public override void Write(StringBuilder sb) => sb.Append("{{").Append(text).Append("}}");
}

internal sealed class PipeNode(int pos, bool isAssign, List<VariableNode> decl) : Node(pos)
{
    public bool IsAssign { get; } = isAssign;
    public List<VariableNode> Decl { get; } = decl;
    public List<CommandNode> Cmds { get; } = [];

    public override void Write(StringBuilder sb)
    {
        for (var i = 0; i < Decl.Count; i++) { if (i > 0) sb.Append(", "); Decl[i].Write(sb); }
        if (Decl.Count > 0) sb.Append(IsAssign ? " = " : " := ");
        for (var i = 0; i < Cmds.Count; i++) { if (i > 0) sb.Append(" | "); Cmds[i].Write(sb); }
    }
}

internal sealed class ActionNode(int pos, int line, PipeNode pipe) : Node(pos)
{
    public int Line { get; } = line;
    public PipeNode Pipe { get; } = pipe;
    public override void Write(StringBuilder sb) { sb.Append("{{"); Pipe.Write(sb); sb.Append("}}"); }
}

internal sealed class CommandNode(int pos) : Node(pos)
{
    public List<Node> Args { get; } = [];

    public override void Write(StringBuilder sb)
    {
        for (var i = 0; i < Args.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            if (Args[i] is PipeNode p) { sb.Append('('); p.Write(sb); sb.Append(')'); }
            else Args[i].Write(sb);
        }
    }
}

internal sealed class IdentifierNode(int pos, string name) : Node(pos)
{
    public string Name { get; } = name;
    public override void Write(StringBuilder sb) => sb.Append(Name);
}

internal sealed class VariableNode(int pos, string[] ident) : Node(pos)
{
    public string[] Ident { get; } = ident;
    public override void Write(StringBuilder sb) => sb.AppendJoin('.', Ident);
}

internal sealed class DotNode(int pos) : Node(pos)
{
    public override void Write(StringBuilder sb) => sb.Append('.');
}

internal sealed class NilNode(int pos) : Node(pos)
{
    public override void Write(StringBuilder sb) => sb.Append("nil");
}

internal sealed class FieldNode(int pos, string[] ident) : Node(pos)
{
    public string[] Ident { get; } = ident;
    public override void Write(StringBuilder sb) { foreach (var id in Ident) sb.Append('.').Append(id); }
}

internal sealed class ChainNode(int pos, Node node) : Node(pos)
{
    public Node Node { get; } = node;
    public List<string> Field { get; } = [];

    public override void Write(StringBuilder sb)
    {
        if (Node is PipeNode) { sb.Append('('); Node.Write(sb); sb.Append(')'); } else Node.Write(sb);
        foreach (var f in Field) sb.Append('.').Append(f);
    }
}

internal sealed class BoolNode(int pos, bool value) : Node(pos)
{
    public bool Value { get; } = value;
    public override void Write(StringBuilder sb) => sb.Append(Value ? "true" : "false");
}

/// <summary>A numeric constant: Go keeps int, float and "is it one of them" flags.</summary>
internal sealed class NumberNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;
    public bool IsInt { get; init; }
    public bool IsUint { get; init; }
    public bool IsFloat { get; init; }
    public bool IsChar { get; init; }
    public bool IsComplex { get; init; }
    public System.Numerics.Complex Complex { get; init; }
    public long Int { get; init; }
    public double Float { get; init; }
    public override void Write(StringBuilder sb) => sb.Append(Text);
}

internal sealed class StringNode(int pos, string quoted, string text) : Node(pos)
{
    public string Quoted { get; } = quoted;
    public string Text { get; } = text;
    public override void Write(StringBuilder sb) => sb.Append(Quoted);
}

internal enum BranchKind { If, Range, With }

internal sealed class BranchNode(BranchKind kind, int pos, int line, PipeNode pipe, ListNode list, ListNode? elseList) : Node(pos)
{
    public BranchKind Kind { get; } = kind;
    public int Line { get; } = line;
    public PipeNode Pipe { get; } = pipe;
    public ListNode List { get; } = list;
    public ListNode? ElseList { get; } = elseList;

    public override void Write(StringBuilder sb)
    {
        sb.Append("{{").Append(Kind switch { BranchKind.If => "if", BranchKind.Range => "range", _ => "with" }).Append(' ');
        Pipe.Write(sb);
        sb.Append("}}");
        List.Write(sb);
        if (ElseList is not null) { sb.Append("{{else}}"); ElseList.Write(sb); }
        sb.Append("{{end}}");
    }
}

internal sealed class BreakNode(int pos) : Node(pos)
{
    public override void Write(StringBuilder sb) => sb.Append("{{break}}");
}

internal sealed class ContinueNode(int pos) : Node(pos)
{
    public override void Write(StringBuilder sb) => sb.Append("{{continue}}");
}

internal sealed class TemplateNode(int pos, int line, string name, PipeNode? pipe) : Node(pos)
{
    public int Line { get; } = line;
    public string Name { get; } = name;
    public PipeNode? Pipe { get; } = pipe;

    public override void Write(StringBuilder sb)
    {
        sb.Append("{{template ").Append(GoFormat.Quote(Name));
        if (Pipe is not null) { sb.Append(' '); Pipe.Write(sb); }
        sb.Append("}}");
    }
}

/// <summary>One parsed template: its name, root list and source text (for line/column of errors).</summary>
internal sealed class Tree(string name, string parseName, string text, ListNode root)
{
    public string Name { get; } = name;
    public string ParseName { get; } = parseName;
    public string Text { get; } = text;
    public ListNode Root { get; } = root;

    /// <summary>"name:line:col" as Go's ErrorContext prints it (col is a 0-based byte offset in the line).</summary>
    public string Location(int pos)
    {
        pos = Math.Clamp(pos, 0, Text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < pos; i++) if (Text[i] == '\n') { line++; lineStart = i + 1; }
        var col = Encoding.UTF8.GetByteCount(Text.AsSpan(lineStart, pos - lineStart));
        return $"{ParseName}:{line}:{col}";
    }

    public bool IsEmpty() => IsEmptyList(Root);

    private static bool IsEmptyList(ListNode list) =>
        list.Nodes.All(n => n switch
        {
            TextNode t => string.IsNullOrWhiteSpace(t.Text),
            CommentNode => true,
            ListNode l => IsEmptyList(l),
            _ => false,
        });
}
