using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GitOps.Controller.Applications;

/// <summary>YAML → JSON for the controller's own small files (applications, tokens): plain scalars typed as
/// YAML 1.2 core (true/false, null, integers, floats); quoted scalars stay strings. Aliases are refused, so an
/// alias bomb cannot expand.</summary>
internal static class SimpleYaml
{
    public static IEnumerable<(JsonObject Document, long Line)> ReadDocuments(string text, string origin)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{origin}:{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }

        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (Convert(doc.RootNode, origin, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance)) is not JsonObject obj)
            {
                throw new InvalidDataException($"{origin}:{doc.RootNode.Start.Line}: a document must be a mapping");
            }

            yield return (obj, doc.RootNode.Start.Line);
        }
    }

    // YamlStream resolves an alias to the anchored node itself: meeting a node twice means an alias.
    private static JsonNode? Convert(YamlNode node, string origin, HashSet<YamlNode> seen)
    {
        if (!seen.Add(node))
        {
            throw new InvalidDataException($"{origin}:{node.Start.Line}: anchors and aliases are not supported");
        }

        return node switch
        {
            YamlMappingNode map => ConvertMap(map, origin, seen),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => Convert(c, origin, seen)).ToArray()),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => throw new InvalidDataException($"{origin}:{node.Start.Line}: unsupported YAML node"),
        };
    }

    private static JsonObject ConvertMap(YamlMappingNode map, string origin, HashSet<YamlNode> seen)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new InvalidDataException($"{origin}:{key.Start.Line}: keys must be scalars");
            }

            if (!obj.TryAdd(name, Convert(value, origin, seen)))
            {
                throw new InvalidDataException($"{origin}:{key.Start.Line}: duplicate key '{name}'");
            }
        }

        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }
}
