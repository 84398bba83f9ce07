using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Rendering.Yaml;

/// <summary>Limits that keep hostile YAML (huge files, alias bombs, deep nesting) from exhausting memory.</summary>
public sealed record YamlLimits(int MaxNodes = 2_000_000, int MaxDepth = 256, int MaxDocuments = 100_000)
{
    public static YamlLimits Default { get; } = new();
}

/// <summary>One YAML document, typed as JSON, and the line it starts on.</summary>
public sealed record YamlDocument(JsonNode? Root, int Line);

/// <summary>Reads manifests' YAML into JSON nodes, typing plain scalars as kubectl (go-yaml v2, YAML 1.1) or kustomize
/// (kyaml, YAML 1.2) does; over YamlDotNet's event model (not its untyped deserializer) so scalar typing is ours.</summary>
internal sealed class ManifestYamlReader
{
    private readonly TrackingParser parser;
    private readonly YamlSchema schema;
    private readonly YamlLimits limits;
    private readonly string? file;
    private readonly Dictionary<string, JsonNode?> anchors = new(StringComparer.Ordinal);
    private long nodes;

    private ManifestYamlReader(string text, YamlSchema schema, YamlLimits limits, string? file)
    {
        parser = new TrackingParser(new Parser(new StringReader(text)));
        this.schema = schema;
        this.limits = limits;
        this.file = file;
    }

    public static List<YamlDocument> Read(string text, YamlSchema schema, YamlLimits? limits = null, string? file = null)
    {
        var reader = new ManifestYamlReader(text, schema, limits ?? YamlLimits.Default, file);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
            throw new RenderException($"invalid YAML: {StripMark(message)}", file, (int)e.Start.Line, (int)e.Start.Column, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner fails without a position on some malformed flow collections ("a: [x" then
            // "b: 1"): name the innermost flow collection still open, else the last event read.
            var (message, at) = reader.parser.OpenFlow is { } open
                ? ($"invalid YAML: the flow {(open.Sequence ? "sequence '['" : "mapping '{'")} opened here is not closed", open.Mark)
                : ("invalid YAML: malformed content after this point", reader.parser.LastMark);
            throw new RenderException(message, file, (int)at.Line, (int)at.Column, e);
        }
    }

    /// <summary>Passes events through, remembering the last position and the open collections, so an error the
    /// parser raises without a position still gets one.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        private readonly Stack<(bool Flow, bool Sequence, Mark Mark)> open = new();

        public ParsingEvent? Current => inner.Current;

        public Mark LastMark { get; private set; } = new(0, 1, 1);

        public (bool Sequence, Mark Mark)? OpenFlow =>
            open.FirstOrDefault(o => o.Flow) is { Flow: true } f ? (f.Sequence, f.Mark) : null;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            switch (inner.Current)
            {
                case SequenceStart s:
                    open.Push((s.Style == YamlDotNet.Core.Events.SequenceStyle.Flow, true, s.Start));
                    break;
                case MappingStart m:
                    open.Push((m.Style == YamlDotNet.Core.Events.MappingStyle.Flow, false, m.Start));
                    break;
                case SequenceEnd or MappingEnd when open.Count > 0:
                    open.Pop();
                    break;
            }

            if (inner.Current is { } current)
            {
                LastMark = current.End;
            }

            return moved;
        }
    }

    private static string StripMark(string message)
    {
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 3) - (Line: ...): "; we report the position ourselves.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && i > 0 ? message[(i + 3)..] : message;
    }

    private List<YamlDocument> ReadStream()
    {
        var docs = new List<YamlDocument>();
        parser.Consume<StreamStart>();
        while (!parser.TryConsume<StreamEnd>(out _))
        {
            var start = parser.Consume<DocumentStart>();
            anchors.Clear();
            JsonNode? root = null;
            var line = (int)start.Start.Line;
            if (parser.Current is not DocumentEnd)
            {
                line = (int)parser.Current!.Start.Line;
                root = ReadNode(0, "");
            }

            parser.Consume<DocumentEnd>();
            if (docs.Count >= limits.MaxDocuments)
            {
                throw new RenderException($"more than {limits.MaxDocuments} YAML documents", file, line);
            }

            docs.Add(new YamlDocument(root, line));
        }

        return docs;
    }

    private void Count(ParsingEvent at, long n = 1)
    {
        nodes += n;
        if (nodes > limits.MaxNodes)
        {
            throw new RenderException($"YAML expands to more than {limits.MaxNodes} nodes (alias bomb or oversized document)",
                file, (int)at.Start.Line, (int)at.Start.Column);
        }
    }

    private JsonNode? ReadNode(int depth, string? path = null)
    {
        var ev = parser.Current!;
        if (depth > limits.MaxDepth)
        {
            throw new RenderException($"YAML nesting deeper than {limits.MaxDepth}", file, (int)ev.Start.Line, (int)ev.Start.Column);
        }

        Count(ev);
        switch (ev)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new RenderException($"unknown anchor '{alias.Value.Value}' referenced", file, (int)ev.Start.Line, (int)ev.Start.Column);
                }

                if (target is null)
                {
                    return null;
                }

                // Every alias is a copy; counting the copy's size bounds "billion laughs" expansion.
                Count(ev, Size(target));
                return target.DeepClone();

            case Scalar scalar:
                parser.MoveNext();
                var value = ResolveScalar(scalar);
                Remember(scalar.Anchor, value);
                return value;

            case SequenceStart seq:
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(ReadNode(depth + 1, null));
                }

                Remember(seq.Anchor, array);
                return array;

            case MappingStart map:
                parser.MoveNext();
                var obj = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current!;
                    var key = ReadNode(depth + 1, null);
                    var keyText = key switch
                    {
                        null => "null",
                        JsonValue v => v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : keyEvent is Scalar ks ? ks.Value : v.ToJsonString(),
                        _ => throw new RenderException("complex mapping keys are not supported", file, (int)keyEvent.Start.Line, (int)keyEvent.Start.Column),
                    };
                    if (keyEvent is Scalar sk && sk.Style == ScalarStyle.Plain)
                    {
                        keyText = sk.Value;
                    }

                    // kustomize keeps top-level annotation values as the source text (strings), whatever they look like.
                    var childPath = path is null ? null : path.Length == 0 ? (keyText == "metadata" ? "metadata" : null)
                        : path == "metadata" && keyText == "annotations" ? "metadata.annotations" : null;
                    var item = path == "metadata.annotations" && schema == YamlSchema.Kustomize && parser.Current is Scalar raw
                        ? RawScalar(raw) : ReadNode(depth + 1, childPath);
                    if (keyText == "<<" && keyEvent is Scalar { Style: ScalarStyle.Plain })
                    {
                        Merge(obj, item, keyEvent);
                        continue;
                    }

                    // A repeated key replaces the earlier value, as kubectl and kustomize accept it.
                    obj[keyText] = item;
                }

                Remember(map.Anchor, obj);
                return obj;

            default:
                throw new RenderException($"unexpected YAML event {ev.GetType().Name}", file, (int)ev.Start.Line, (int)ev.Start.Column);
        }
    }

    private static void Merge(JsonObject into, JsonNode? source, ParsingEvent at)
    {
        IEnumerable<JsonNode?> sources = source is JsonArray a ? a : [source];
        foreach (var s in sources)
        {
            if (s is not JsonObject m)
            {
                throw new RenderException("merge key '<<' needs a mapping or a list of mappings", null, (int)at.Start.Line, (int)at.Start.Column);
            }

            foreach (var (k, v) in m)
            {
                if (!into.ContainsKey(k))
                {
                    into[k] = v?.DeepClone();
                }
            }
        }
    }

    private void Remember(AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private static long Size(JsonNode node) => node switch
    {
        JsonObject o => 1 + o.Sum(p => p.Value is null ? 1 : Size(p.Value)),
        JsonArray a => 1 + a.Sum(v => v is null ? 1 : Size(v)),
        _ => 1,
    };

    private JsonValue RawScalar(Scalar s)
    {
        Count(s);
        parser.MoveNext();
        var value = JsonValue.Create(s.Value);
        Remember(s.Anchor, value);
        return value;
    }

    private JsonNode? ResolveScalar(Scalar s)
    {
        var tag = s.Tag.IsEmpty ? "" : s.Tag.Value;
        if (tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
        {
            tag = "!!" + tag["tag:yaml.org,2002:".Length..];
        }

        switch (tag)
        {
            case "!!str" or "!":
                return JsonValue.Create(s.Value);
            case "!!null":
                return null;
            case "!!bool" or "!!int" or "!!float":
                var typed = s.Value.Length == 0 ? null : YamlScalars.Resolve(s.Value, schema);
                return typed ?? throw new RenderException($"cannot decode '{s.Value}' as {tag}", file, (int)s.Start.Line, (int)s.Start.Column);
        }

        if (s.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(s.Value);
        }

        return YamlScalars.Resolve(s.Value, schema);
    }
}
