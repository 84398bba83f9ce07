using System.Globalization;
using System.Runtime.CompilerServices;

namespace GitOps.Templating;

/// <summary>A template failed to parse or execute; the message is formatted as Go's text/template does.</summary>
public sealed class TemplateException(string message, string? location = null) : Exception(message)
{
    /// <summary>"name:line:col" of the failing node, when known.</summary>
    public string? Location { get; } = location;
}

/// <summary>Go's text/template/parse: builds trees for one source text (the main template plus its defines).</summary>
internal sealed partial class Parser
{
    private readonly string _name;
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly Func<string, bool> _hasFunction;
    private readonly Dictionary<string, Tree> _defined;
    private int _index;
    private List<string> _vars = ["$"];
    private int _rangeDepth;
    private int _depth;

    private Parser(string name, string text, Func<string, bool> hasFunction, Dictionary<string, Tree> defined)
    {
        _name = name;
        _text = text;
        _tokens = Lexer.Lex(text);
        _hasFunction = hasFunction;
        _defined = defined;
    }

    /// <summary>Parses <paramref name="text"/>; returns the main tree and adds {{define}}d trees to <paramref name="defined"/>.</summary>
    public static Tree Parse(string name, string text, Func<string, bool> hasFunction, Dictionary<string, Tree> defined)
    {
        var parser = new Parser(name, text, hasFunction, defined);
        return parser.ParseTop();
    }

    private Token Next() => _tokens[Math.Min(_index++, _tokens.Count - 1)];
    private Token Peek() => _tokens[Math.Min(_index, _tokens.Count - 1)];
    private void Backup(int n = 1) => _index -= n;

    private Token NextNonSpace()
    {
        Token t;
        do { t = Next(); } while (t.Kind == TokenKind.Space);
        return t;
    }

    private Token PeekNonSpace()
    {
        var t = NextNonSpace();
        Backup();
        return t;
    }

    private TemplateException Error(Token token, string message) => Error(token.Line, message);

    private TemplateException Error(int line, string message) =>
        new($"template: {_name}:{line}: {message}", $"{_name}:{line}");

    private TemplateException Unexpected(Token token, string context) =>
        token.Kind == TokenKind.Error
            ? Error(token, token.Value)
            : Error(token, $"unexpected {Describe(token)} in {context}");

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.RightDelim => "\"}}\"",
        TokenKind.LeftDelim => "\"{{\"",
        TokenKind.Space => "space",
        TokenKind.Error => t.Value,
        >= TokenKind.Block => $"<{t.Value}>",
        _ => GoFormat.Quote(t.Value),
    };

    private Tree ParseTop()
    {
        var root = new ListNode(0);
        while (Peek().Kind != TokenKind.Eof)
        {
            if (Peek().Kind == TokenKind.LeftDelim)
            {
                var mark = _index;
                Next();
                if (NextNonSpace().Kind == TokenKind.Define)
                {
                    ParseDefinition();
                    continue;
                }
                _index = mark;
            }
            var n = TextOrAction(out var terminator);
            if (terminator is not null) throw Error(terminator.Value, $"unexpected {DescribeEnd(terminator.Value)}");
            if (n is not null) root.Nodes.Add(n);
        }
        var main = new Tree(_name, _name, _text, root);
        if (_defined.TryGetValue(_name, out var def) && _definedHere.Contains(_name) && !def.IsEmpty() && !main.IsEmpty())
            throw Error(1, $"template: multiple definition of template {GoFormat.Quote(_name)}");
        return main;
    }

    private static string DescribeEnd(Token t) => t.Kind == TokenKind.End ? "{{end}}" : "{{else}}";

    private void ParseDefinition()
    {
        var nameToken = NextNonSpace();
        if (nameToken.Kind is not (TokenKind.String or TokenKind.RawString)) throw Unexpected(nameToken, "define clause");
        var name = Unquote(nameToken);
        if (NextNonSpace().Kind != TokenKind.RightDelim) throw Error(nameToken, "unexpected token in define clause");
        var saveVars = _vars;
        _vars = ["$"];
        var (list, end) = ItemList();
        _vars = saveVars;
        if (end.Kind != TokenKind.End) throw Unexpected(end, "define clause");
        Add(new Tree(name, _name, _text, list));
    }

    private readonly HashSet<string> _definedHere = new(StringComparer.Ordinal);

    private void Add(Tree tree)
    {
        if (_definedHere.Contains(tree.Name) && _defined.TryGetValue(tree.Name, out var prev) && !prev.IsEmpty() && !tree.IsEmpty())
            throw Error(1, $"template: multiple definition of template {GoFormat.Quote(tree.Name)}");
        _definedHere.Add(tree.Name);
        // Go keeps an existing non-empty definition when the new one is empty.
        if (_defined.TryGetValue(tree.Name, out var old) && tree.IsEmpty() && !old.IsEmpty()) return;
        _defined[tree.Name] = tree;
    }

    /// <summary>Parses until {{end}} or {{else}}; returns the list and the terminating keyword token.</summary>
    private (ListNode List, Token End) ItemList()
    {
        var list = new ListNode(Peek().Pos);
        while (true)
        {
            if (Peek().Kind == TokenKind.Eof) throw Error(Peek(), $"unexpected EOF");
            var n = TextOrAction(out var terminator);
            if (terminator is not null) return (list, terminator.Value);
            if (n is not null) list.Nodes.Add(n);
        }
    }

    private Node? TextOrAction(out Token? terminator)
    {
        terminator = null;
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Text: return new TextNode(token.Pos, token.Value);
            case TokenKind.LeftDelim:
                if (Peek().Kind == TokenKind.Comment)
                {
                    var c = Next();
                    if (Next().Kind != TokenKind.RightDelim) throw Error(c, "comment ends before closing delimiter");
                    return new CommentNode(c.Pos, c.Value);
                }
                return Action(out terminator);
            case TokenKind.Error: throw Error(token, token.Value);
            default: throw Unexpected(token, "input");
        }
    }

    private Node? Action(out Token? terminator)
    {
        terminator = null;
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Block: return BlockControl(token);
            case TokenKind.Break: return BreakControl(token, isBreak: true);
            case TokenKind.Continue: return BreakControl(token, isBreak: false);
            case TokenKind.Else:
            {
                var peek = PeekNonSpace();
                if (peek.Kind is not (TokenKind.If or TokenKind.With))
                {
                    var close = NextNonSpace();
                    if (close.Kind != TokenKind.RightDelim) throw Unexpected(close, "else");
                }
                terminator = token;
                return null;
            }
            case TokenKind.End:
            {
                var close = NextNonSpace();
                if (close.Kind != TokenKind.RightDelim) throw Unexpected(close, "end");
                terminator = token;
                return null;
            }
            case TokenKind.If: return Control(BranchKind.If, token);
            case TokenKind.Range: return Control(BranchKind.Range, token);
            case TokenKind.With: return Control(BranchKind.With, token);
            case TokenKind.Template: return TemplateControl(token);
            case TokenKind.Define: throw Error(token, "unexpected <define> in command");
        }
        Backup();
        var pipe = Pipeline("command", TokenKind.RightDelim);
        return new ActionNode(token.Pos, token.Line, pipe);
    }

    private Node BreakControl(Token token, bool isBreak)
    {
        var word = isBreak ? "break" : "continue";
        var close = NextNonSpace();
        if (close.Kind != TokenKind.RightDelim) throw Unexpected(close, $"{{{{{word}}}}}");
        if (_rangeDepth == 0) throw Error(token, $"{{{{{word}}}}} outside {{{{range}}}}");
        return isBreak ? new BreakNode(token.Pos) : new ContinueNode(token.Pos);
    }

    private BranchNode Control(BranchKind kind, Token token)
    {
        if (++_depth > 1000 || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Error(token, "max nesting depth exceeded");
        try { return ControlBody(kind, token); }
        finally { _depth--; }
    }

    private BranchNode ControlBody(BranchKind kind, Token token)
    {
        var context = kind switch { BranchKind.If => "if", BranchKind.Range => "range", _ => "with" };
        var varCount = _vars.Count;
        var pipe = Pipeline(context, TokenKind.RightDelim);
        if (kind == BranchKind.Range) _rangeDepth++;
        var (list, end) = ItemList();
        if (kind == BranchKind.Range) _rangeDepth--;
        ListNode? elseList = null;
        if (end.Kind == TokenKind.Else)
        {
            var peek = PeekNonSpace();
            if ((kind == BranchKind.If && peek.Kind == TokenKind.If) || (kind == BranchKind.With && peek.Kind == TokenKind.With))
            {
                // "{{if a}}..{{else if b}}..{{end}}" is "{{if a}}..{{else}}{{if b}}..{{end}}{{end}}".
                var inner = NextNonSpace();
                elseList = new ListNode(end.Pos);
                elseList.Nodes.Add(Control(kind, inner));
            }
            else
            {
                (elseList, end) = ItemList();
                if (end.Kind != TokenKind.End) throw Error(end, "expected end; found {{else}}");
            }
        }
        _vars.RemoveRange(varCount, _vars.Count - varCount);
        return new BranchNode(kind, token.Pos, token.Line, pipe, list, elseList);
    }

    private TemplateNode TemplateControl(Token token)
    {
        var nameToken = NextNonSpace();
        if (nameToken.Kind is not (TokenKind.String or TokenKind.RawString)) throw Unexpected(nameToken, "template clause");
        var name = Unquote(nameToken);
        PipeNode? pipe = null;
        if (NextNonSpace().Kind != TokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline("template clause", TokenKind.RightDelim);
        }
        return new TemplateNode(token.Pos, token.Line, name, pipe);
    }

    private TemplateNode BlockControl(Token token)
    {
        if (++_depth > 1000 || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Error(token, "max nesting depth exceeded");
        try { return BlockBody(token); }
        finally { _depth--; }
    }

    private TemplateNode BlockBody(Token token)
    {
        var nameToken = NextNonSpace();
        if (nameToken.Kind is not (TokenKind.String or TokenKind.RawString)) throw Unexpected(nameToken, "block clause");
        var name = Unquote(nameToken);
        var pipe = Pipeline("block clause", TokenKind.RightDelim);
        var saveVars = _vars;
        _vars = ["$"];
        var (list, end) = ItemList();
        _vars = saveVars;
        if (end.Kind != TokenKind.End) throw Unexpected(end, "block clause");
        Add(new Tree(name, _name, _text, list));
        return new TemplateNode(token.Pos, token.Line, name, pipe);
    }

    private PipeNode Pipeline(string context, TokenKind end)
    {
        var start = PeekNonSpace();
        var pipe = new PipeNode(start.Pos, false, []);
        var isAssign = false;
    Decls:
        if (PeekNonSpace().Kind == TokenKind.Variable)
        {
            var mark = _index;
            var v = NextNonSpace();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                isAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
            }
            else if (next.Kind == TokenKind.Comma)
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    if (PeekNonSpace().Kind is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen) goto Decls;
                    throw Error(v, "range can only initialize variables");
                }
                throw Error(v, $"too many declarations in {context}");
            }
            else _index = mark;
        }
        var result = new PipeNode(start.Pos, isAssign, pipe.Decl);
        while (true)
        {
            var token = NextNonSpace();
            if (token.Kind == end)
            {
                CheckPipeline(result, context, token);
                return result;
            }
            switch (token.Kind)
            {
                case TokenKind.Bool or TokenKind.Char or TokenKind.Dot or TokenKind.Field or TokenKind.Identifier or
                    TokenKind.Number or TokenKind.Nil or TokenKind.RawString or TokenKind.String or TokenKind.Variable or
                    TokenKind.LeftParen:
                    Backup();
                    result.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context, Token token)
    {
        if (pipe.Cmds.Count == 0) throw Error(token, $"missing value for {context}");
        for (var i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                throw Error(token, $"non executable command in pipeline stage {i + 1}");
        }
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null) cmd.Args.Add(operand);
            var token = Next();
            if (token.Kind == TokenKind.Space) continue;
            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen) Backup();
            else if (token.Kind != TokenKind.Pipe) throw Unexpected(token, "operand");
            break;
        }
        if (cmd.Args.Count == 0) throw Error(Peek(), "empty command");
        return cmd;
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null) return null;
        if (Peek().Kind != TokenKind.Field) return node;
        var chain = new ChainNode(Peek().Pos, node);
        while (Peek().Kind == TokenKind.Field) chain.Field.Add(Next().Value[1..]);
        switch (node)
        {
            case FieldNode f: return new FieldNode(f.Pos, [.. f.Ident, .. chain.Field]);
            case VariableNode v: return new VariableNode(v.Pos, [.. v.Ident, .. chain.Field]);
            case BoolNode or StringNode or NumberNode or NilNode or DotNode:
                throw Error(Peek(), $"unexpected . after term {GoFormat.Quote(node.ToString())}");
            default: return chain;
        }
    }

    private Node? Term()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                if (!_hasFunction(token.Value)) throw Error(token, $"function {GoFormat.Quote(token.Value)} not defined");
                return new IdentifierNode(token.Pos, token.Value);
            case TokenKind.Dot: return new DotNode(token.Pos);
            case TokenKind.Nil: return new NilNode(token.Pos);
            case TokenKind.Variable:
                if (!_vars.Contains(token.Value)) throw Error(token, $"undefined variable {GoFormat.Quote(token.Value)}");
                return new VariableNode(token.Pos, [token.Value]);
            case TokenKind.Field: return new FieldNode(token.Pos, [token.Value[1..]]);
            case TokenKind.Bool: return new BoolNode(token.Pos, token.Value == "true");
            case TokenKind.Char or TokenKind.Number: return Number(token);
            case TokenKind.LeftParen:
                if (++_depth > 1000 || !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Error(token, "max expression depth exceeded");
                var pipe = Pipeline("parenthesized pipeline", TokenKind.RightParen);
                _depth--;
                return pipe;
            case TokenKind.String or TokenKind.RawString: return new StringNode(token.Pos, token.Value, Unquote(token));
        }
        Backup();
        return null;
    }

    private string Unquote(Token token)
    {
        if (token.Kind == TokenKind.RawString) return token.Value[1..^1];
        return GoFormat.Unquote(token.Value) ?? throw Error(token, $"invalid syntax");
    }
}
