using System.Text.Json.Nodes;

namespace GitOps.Rendering.Kustomize.Transformers;

/// <summary>images: newName/newTag/digest on every container and initContainer.</summary>
internal static class Images
{
    public static void SetImages(IEnumerable<Resource> resources, JsonNode? images)
    {
        if (images is not JsonArray list)
        {
            return;
        }

        var rules = list.OfType<JsonObject>().ToList();
        foreach (var r in resources)
        {
            Walk(r.Object, rules);
        }
    }

    private static void Walk(JsonNode? node, List<JsonObject> rules)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key is "containers" or "initContainers" or "ephemeralContainers" && value is JsonArray containers)
                    {
                        foreach (var c in containers.OfType<JsonObject>())
                        {
                            if (c["image"] is JsonValue img && img.GetValueKind() == System.Text.Json.JsonValueKind.String)
                            {
                                c["image"] = Rewrite(img.GetValue<string>(), rules);
                            }
                        }
                    }

                    Walk(value, rules);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Walk(item, rules);
                }

                break;
        }
    }

    internal static (string Name, string Tag, string Digest) Split(string image)
    {
        var digest = "";
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        var tag = "";
        var colon = image.LastIndexOf(':');
        if (colon > image.LastIndexOf('/'))
        {
            tag = image[(colon + 1)..];
            image = image[..colon];
        }

        return (image, tag, digest);
    }

    internal static string Rewrite(string image, List<JsonObject> rules)
    {
        var (name, tag, digest) = Split(image);
        foreach (var rule in rules)
        {
            var match = Scalars.Str(rule["name"]);
            if (match != name)
            {
                continue;
            }

            var newName = Scalars.Str(rule["newName"]);
            var newTag = Scalars.Str(rule["newTag"]);
            var newDigest = Scalars.Str(rule["digest"]);
            if (!string.IsNullOrEmpty(newName))
            {
                name = newName;
            }

            if (!string.IsNullOrEmpty(newTag))
            {
                tag = newTag;
                digest = "";
            }

            if (!string.IsNullOrEmpty(newDigest))
            {
                digest = newDigest;
                tag = "";
            }

            return name + (tag.Length > 0 ? ":" + tag : "") + (digest.Length > 0 ? "@" + digest : "");
        }

        return image;
    }
}
