using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Cluster;

/// <summary>
/// One line of a watch stream: its type, its object's JSON as it came, and the object's name, namespace and
/// resourceVersion read without building a tree. The live cache often holds the very version an event carries
/// already (the write's answer got there first), and then needs nothing more of it.
/// </summary>
internal sealed record WatchEvent(string Type, byte[] Json, string? Namespace, string? Name, string? ResourceVersion)
{
    /// <summary>The object parsed, with the bytes it was parsed from.</summary>
    public ApiObject Parse() =>
        new(JsonNode.Parse(Json) as JsonObject ?? throw new JsonException($"a {Type} watch event's object is not a JSON object"), Json);

    /// <summary>Reads one line of a watch stream; null for a line that carries no event (blank, or no object).</summary>
    /// <exception cref="JsonException">The line is not JSON.</exception>
    public static WatchEvent? Read(ReadOnlySpan<byte> line)
    {
        line = line.Trim(" \t\r"u8);
        if (line.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? type = null;
        byte[]? json = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isObject = reader.ValueTextEquals("object"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                type = reader.GetString();
            }
            else if (isObject && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                json = line[start..(int)reader.BytesConsumed].ToArray();
            }
            else
            {
                reader.Skip();
            }
        }

        if (type is null || json is null)
        {
            return null;
        }

        var (ns, name, resourceVersion) = Metadata(json);
        return new WatchEvent(type, json, ns, name, resourceVersion);
    }

    /// <summary>metadata.namespace, .name and .resourceVersion, reading no further than the end of metadata.</summary>
    private static (string? Namespace, string? Name, string? ResourceVersion) Metadata(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? ns = null, name = null, resourceVersion = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ref var field = ref ns;
                var known = true;
                if (reader.ValueTextEquals("name"u8))
                {
                    field = ref name;
                }
                else if (reader.ValueTextEquals("resourceVersion"u8))
                {
                    field = ref resourceVersion;
                }
                else if (!reader.ValueTextEquals("namespace"u8))
                {
                    known = false;
                }

                reader.Read();
                if (known && reader.TokenType == JsonTokenType.String)
                {
                    field = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return (ns, name, resourceVersion);
        }

        return (null, null, null);
    }
}
