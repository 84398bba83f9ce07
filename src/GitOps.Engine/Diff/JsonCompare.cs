using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Engine.Diff;

/// <summary>Structural equality where numbers compare by value (1, 1.0 and 1e0 are equal).</summary>
internal static class JsonCompare
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject oa, JsonObject ob):
                return oa.Count == ob.Count && oa.All(p => ob.TryGetPropertyValue(p.Key, out var v) && Equal(p.Value, v));
            case (JsonArray aa, JsonArray ab):
                return aa.Count == ab.Count && aa.Zip(ab).All(p => Equal(p.First, p.Second));
            case (JsonValue va, JsonValue vb):
                var ka = va.GetValueKind();
                var kb = vb.GetValueKind();
                if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
                {
                    return NumberOf(va) == NumberOf(vb);
                }

                return ka == kb && va.ToJsonString() == vb.ToJsonString();
            default:
                return false;
        }
    }

    private static decimal NumberOf(JsonValue v)
    {
        var text = v.ToJsonString();
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : (decimal)double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
