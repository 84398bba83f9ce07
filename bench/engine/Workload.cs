using System.Text.Json.Nodes;

namespace GitOps.Bench.Engine;

/// <summary>N objects over 10 namespaces: the Namespaces themselves, then ConfigMaps, Services and
/// Deployments in equal parts. Ports carry `protocol` (1.20 SSA needs it; the engine would add it itself).</summary>
internal sealed class Workload
{
    private Workload(string prefix, IReadOnlyList<JsonObject> objects)
    {
        Namespaces = Enumerable.Range(0, NamespaceCount).Select(i => $"{prefix}-{i}").ToList();
        Objects = objects;
    }

    public const int NamespaceCount = 10;

    public IReadOnlyList<string> Namespaces { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    public static Workload Build(string prefix, int total)
    {
        var objects = new List<JsonObject>();
        for (var i = 0; i < NamespaceCount; i++)
        {
            objects.Add(Parse($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{prefix}}}-{{{i}}}"}}"""));
        }

        for (var i = 0; objects.Count < total; i++)
        {
            var ns = $"{prefix}-{i % NamespaceCount}";
            var name = $"obj-{i / 3:D4}";
            objects.Add((i % 3) switch
            {
                0 => Parse($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"data":{"value":"v1","index":"{{{i}}}"}}"""),
                1 => Parse($$$"""
                    {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
                     "spec":{"selector":{"app":"{{{name}}}"},"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"}]}}
                    """),
                _ => Parse($$$"""
                    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
                     "spec":{"replicas":1,"selector":{"matchLabels":{"app":"{{{name}}}"}},
                      "template":{"metadata":{"labels":{"app":"{{{name}}}"}},
                       "spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}]}]} } } }
                    """),
            });
        }

        return new Workload(prefix, objects);
    }

    /// <summary>The same set with `percent` % of the ConfigMaps' values changed.</summary>
    public IReadOnlyList<JsonObject> Changed(int percent)
    {
        var count = Objects.Count * percent / 100;
        var changed = 0;
        return Objects.Select(o =>
        {
            if (changed < count && o["kind"]!.GetValue<string>() == "ConfigMap")
            {
                changed++;
                var copy = o.DeepClone().AsObject();
                copy["data"]!["value"] = "v2";
                return copy;
            }

            return o;
        }).ToList();
    }

    public string AsList(IReadOnlyList<JsonObject> objects) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "List",
        ["items"] = new JsonArray(objects.Select(o => (JsonNode)o.DeepClone()).ToArray()),
    }.ToJsonString();

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
