namespace GitOps.Templating;

internal enum TokenKind
{
    Error, Eof, Text, LeftDelim, RightDelim, Space, Identifier, Field, Variable, Dot, Declare, Assign,
    Pipe, LeftParen, RightParen, String, RawString, Char, Number, Bool, Nil, Comma, Comment,
    // keywords
    Block, Break, Continue, Define, Else, End, If, Range, Template, With,
}

internal readonly record struct Token(TokenKind Kind, int Pos, string Value, int Line);

/// <summary>Go text/template's lexer: text and actions, with trim markers and comments.</summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _start;
    private int _line = 1;
    private int _startLine = 1;
    private int _parenDepth;

    private Lexer(string input) => _input = input;

    public static List<Token> Lex(string input)
    {
        var lexer = new Lexer(input);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (true)
        {
            if (!LexText()) return;
            if (!LexInsideAction()) return;
        }
    }

    private void Emit(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _start, _input[_start.._pos], _startLine));
        _start = _pos;
        _startLine = _line;
    }

    private void Ignore()
    {
        _line += Count(_input, _start, _pos);
        _start = _pos;
        _startLine = _line;
    }

    private static int Count(string s, int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++) if (s[i] == '\n') n++;
        return n;
    }

    private bool Error(string message)
    {
        _tokens.Add(new Token(TokenKind.Error, _start, message, _startLine));
        return false;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private bool HasLeftTrim(int at) =>
        at + 3 <= _input.Length && _input[at] == '-' && at + 1 < _input.Length && IsSpace(_input[at + 1]);

    /// <summary>Scans text up to the next left delimiter, applying a left trim marker.</summary>
    private bool LexText()
    {
        var idx = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
        if (idx < 0)
        {
            _pos = _input.Length;
            if (_pos > _start) { _line += Count(_input, _start, _pos); Emit(TokenKind.Text); }
            _tokens.Add(new Token(TokenKind.Eof, _pos, "", _line));
            return false;
        }
        _pos = idx;
        var trimmedEnd = _pos;
        if (_pos + 2 < _input.Length && HasLeftTrim(_pos + 2))
        {
            while (trimmedEnd > _start && IsSpace(_input[trimmedEnd - 1])) trimmedEnd--;
        }
        if (trimmedEnd > _start)
        {
            var save = _pos;
            _pos = trimmedEnd;
            _line += Count(_input, _start, _pos);
            Emit(TokenKind.Text);
            _pos = save;
        }
        _line += Count(_input, _start, _pos);
        _start = _pos;
        _startLine = _line;
        return true;
    }

    private bool AtRightDelim(out bool trim)
    {
        trim = false;
        if (string.CompareOrdinal(_input, _pos, RightDelim, 0, 2) == 0) return true;
        if (_pos + 3 <= _input.Length && IsSpace(_input[_pos]) && _input[_pos + 1] == '-' &&
            string.CompareOrdinal(_input, _pos + 2, RightDelim, 0, 2) == 0)
        {
            trim = true;
            return true;
        }
        return false;
    }

    private void EmitRightDelim(bool trim)
    {
        if (trim)
        {
            _pos++; // the space
            Ignore();
            _pos += 3;
            Emit(TokenKind.RightDelim);
            while (_pos < _input.Length && IsSpace(_input[_pos])) _pos++;
            Ignore();
        }
        else
        {
            _pos += 2;
            Emit(TokenKind.RightDelim);
        }
    }

    /// <summary>Lexes one action from its left delimiter to its right delimiter.</summary>
    private bool LexInsideAction()
    {
        _pos += 2;
        if (HasLeftTrim(_pos)) _pos++;
        Emit(TokenKind.LeftDelim);
        // A trim marker is "- " followed by whitespace; skip that whitespace.
        if (_tokens[^1].Value.Length == 3) { while (_pos < _input.Length && IsSpace(_input[_pos])) _pos++; Ignore(); }
        if (_input.AsSpan(_pos).StartsWith("/*", StringComparison.Ordinal)) return LexComment();
        _parenDepth = 0;
        while (true)
        {
            if (_pos >= _input.Length) return Error("unclosed action");
            if (AtRightDelim(out var trim))
            {
                if (_parenDepth != 0) return Error("unclosed left paren");
                EmitRightDelim(trim);
                return true;
            }
            var c = _input[_pos];
            if (IsSpace(c))
            {
                var hasNewline = false;
                while (_pos < _input.Length && IsSpace(_input[_pos]))
                {
                    if (_input[_pos] == '\n') hasNewline = true;
                    if (AtRightDelim(out _)) break;
                    _pos++;
                }
                _ = hasNewline; // Go >= 1.16 allows newlines inside actions.
                _line += Count(_input, _start, _pos);
                Emit(TokenKind.Space);
                continue;
            }
            _pos++;
            switch (c)
            {
                case '=': Emit(TokenKind.Assign); break;
                case ':':
                    if (_pos >= _input.Length || _input[_pos] != '=') return Error("expected :=");
                    _pos++;
                    Emit(TokenKind.Declare);
                    break;
                case '|': Emit(TokenKind.Pipe); break;
                case '"': if (!LexQuote()) return false; break;
                case '`': if (!LexRawQuote()) return false; break;
                case '\'': if (!LexChar()) return false; break;
                case '$': LexWord(TokenKind.Variable); break;
                case '.':
                    if (_pos < _input.Length && char.IsAsciiDigit(_input[_pos])) { _pos--; if (!LexNumber()) return false; break; }
                    if (_pos < _input.Length && IsAlnum(_input[_pos])) { LexWord(TokenKind.Field); break; }
                    Emit(TokenKind.Dot);
                    break;
                case '(': _parenDepth++; Emit(TokenKind.LeftParen); break;
                case ')':
                    _parenDepth--;
                    if (_parenDepth < 0) return Error("unexpected right paren");
                    Emit(TokenKind.RightParen);
                    break;
                case ',': Emit(TokenKind.Comma); break;
                default:
                    if (c is '+' or '-' || char.IsAsciiDigit(c)) { _pos--; if (!LexNumber()) return false; break; }
                    if (IsAlnum(c)) { _pos--; LexIdentifier(); break; }
                    return Error($"unrecognized character in action: {GoFormat.QuoteRune(c)}");
            }
        }
    }

    private bool LexComment()
    {
        var end = _input.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0) return Error("unclosed comment");
        _pos = end + 2;
        var text = _input[_start.._pos];
        if (!AtRightDelim(out var trim)) return Error("comment ends before closing delimiter");
        _line += Count(_input, _start, _pos);
        _tokens.Add(new Token(TokenKind.Comment, _start, text, _startLine));
        _start = _pos;
        _startLine = _line;
        EmitRightDelim(trim);
        return true;
    }

    private static bool IsAlnum(char c) => c == '_' || char.IsLetterOrDigit(c);

    private void LexWord(TokenKind kind)
    {
        while (_pos < _input.Length && IsAlnum(_input[_pos])) _pos++;
        Emit(kind);
    }

    private void LexIdentifier()
    {
        while (_pos < _input.Length && IsAlnum(_input[_pos])) _pos++;
        var word = _input[_start.._pos];
        var kind = word switch
        {
            "block" => TokenKind.Block,
            "break" => TokenKind.Break,
            "continue" => TokenKind.Continue,
            "define" => TokenKind.Define,
            "else" => TokenKind.Else,
            "end" => TokenKind.End,
            "if" => TokenKind.If,
            "range" => TokenKind.Range,
            "template" => TokenKind.Template,
            "with" => TokenKind.With,
            "true" or "false" => TokenKind.Bool,
            "nil" => TokenKind.Nil,
            _ => TokenKind.Identifier,
        };
        Emit(kind);
    }

    private bool LexQuote()
    {
        while (true)
        {
            if (_pos >= _input.Length) return Error("unterminated quoted string");
            var c = _input[_pos++];
            if (c == '\\')
            {
                if (_pos >= _input.Length || _input[_pos] == '\n') return Error("unterminated quoted string");
                _pos++;
            }
            else if (c == '\n') return Error("unterminated quoted string");
            else if (c == '"') break;
        }
        Emit(TokenKind.String);
        return true;
    }

    private bool LexRawQuote()
    {
        var end = _input.IndexOf('`', _pos);
        if (end < 0) return Error("unterminated raw quoted string");
        _pos = end + 1;
        _line += Count(_input, _start, _pos);
        Emit(TokenKind.RawString);
        return true;
    }

    private bool LexChar()
    {
        while (true)
        {
            if (_pos >= _input.Length) return Error("unterminated character constant");
            var c = _input[_pos++];
            if (c == '\\') { if (_pos < _input.Length) _pos++; }
            else if (c == '\n') return Error("unterminated character constant");
            else if (c == '\'') break;
        }
        Emit(TokenKind.Char);
        return true;
    }

    private bool LexNumber()
    {
        if (_pos < _input.Length && _input[_pos] is '+' or '-') _pos++;
        var digits = "0123456789_";
        if (_pos + 1 < _input.Length && _input[_pos] == '0' && _input[_pos + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            digits = _input[_pos + 1] is 'x' or 'X' ? "0123456789abcdefABCDEF_" : _input[_pos + 1] is 'o' or 'O' ? "01234567_" : "01_";
            _pos += 2;
        }
        Accept(digits);
        if (_pos < _input.Length && _input[_pos] == '.') { _pos++; Accept(digits); }
        if (digits.Length == 11 && _pos < _input.Length && _input[_pos] is 'e' or 'E')
        {
            _pos++;
            if (_pos < _input.Length && _input[_pos] is '+' or '-') _pos++;
            Accept("0123456789_");
        }
        if (digits.Length > 20 && _pos < _input.Length && _input[_pos] is 'p' or 'P')
        {
            _pos++;
            if (_pos < _input.Length && _input[_pos] is '+' or '-') _pos++;
            Accept("0123456789_");
        }
        if (_pos < _input.Length && _input[_pos] == 'i') _pos++;
        // Complex constant "1+2i": a second signed number ending in 'i', no spaces.
        if (_pos + 1 < _input.Length && _input[_pos] is '+' or '-' && (char.IsAsciiDigit(_input[_pos + 1]) || _input[_pos + 1] == '.'))
        {
            var save = _pos;
            _pos++;
            Accept("0123456789_.");
            if (_pos < _input.Length && _input[_pos] is 'e' or 'E') { _pos++; if (_pos < _input.Length && _input[_pos] is '+' or '-') _pos++; Accept("0123456789_"); }
            if (_pos < _input.Length && _input[_pos] == 'i') _pos++;
            else _pos = save;
        }
        if (_pos < _input.Length && IsAlnum(_input[_pos]))
        {
            _pos++;
            return Error($"bad number syntax: \"{_input[_start.._pos]}\"");
        }
        Emit(TokenKind.Number);
        return true;
    }

    private void Accept(string valid)
    {
        while (_pos < _input.Length && valid.Contains(_input[_pos], StringComparison.Ordinal)) _pos++;
    }
}
