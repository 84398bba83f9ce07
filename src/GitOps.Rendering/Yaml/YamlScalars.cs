using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Rendering.Yaml;

/// <summary>How plain (unquoted, untagged) scalars are typed.</summary>
public enum YamlSchema
{
    /// <summary>As kubectl/Argo CD read manifests (goyaml.v2, YAML 1.1): yes/no/on/off/y/n are booleans.</summary>
    Kubernetes,

    /// <summary>As kustomize reads them (kyaml/yaml.v3): only true/false are booleans, timestamps become RFC 3339.</summary>
    Kustomize,
}

/// <summary>Scalar resolution shared by the reader (typing) and the writer (deciding when a string needs quotes).</summary>
internal static partial class YamlScalars
{
    private static readonly HashSet<string> Nulls = ["", "~", "null", "Null", "NULL"];
    private static readonly HashSet<string> Trues = ["true", "True", "TRUE"];
    private static readonly HashSet<string> Falses = ["false", "False", "FALSE"];
    private static readonly HashSet<string> Trues11 = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"];
    private static readonly HashSet<string> Falses11 = ["n", "N", "no", "No", "NO", "off", "Off", "OFF"];

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?(\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)$")]
    private static partial Regex SpecialFloat();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")]
    private static partial Regex Sexagesimal();

    [GeneratedRegex(@"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?)?)?$")]
    private static partial Regex Timestamp();

    /// <summary>Types a plain scalar. Returns a JSON value, or null for YAML null.</summary>
    public static JsonNode? Resolve(string text, YamlSchema schema)
    {
        if (Nulls.Contains(text))
        {
            return null;
        }

        if (Trues.Contains(text) || (schema == YamlSchema.Kubernetes && Trues11.Contains(text)))
        {
            return JsonValue.Create(true);
        }

        if (Falses.Contains(text) || (schema == YamlSchema.Kubernetes && Falses11.Contains(text)))
        {
            return JsonValue.Create(false);
        }

        var c = text[0];
        if (c is not ((>= '0' and <= '9') or '-' or '+' or '.'))
        {
            return JsonValue.Create(text);
        }

        if (schema == YamlSchema.Kustomize && c is >= '0' and <= '9' && TryTimestamp(text, out var stamp))
        {
            return JsonValue.Create(stamp);
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (TryGoInteger(plain, out var number))
        {
            return number >= long.MinValue && number <= long.MaxValue ? JsonValue.Create((long)number)
                : number >= 0 && number <= ulong.MaxValue ? JsonValue.Create((ulong)number)
                : JsonValue.Create(text);
        }

        if (FloatPattern().IsMatch(plain)
            && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }

    /// <summary>True when a YAML 1.1 or 1.2 reader would type this plain text as something other than a string.</summary>
    public static bool IsAmbiguous(string text)
    {
        if (text.Length == 0 || Nulls.Contains(text) || Trues.Contains(text) || Falses.Contains(text)
            || Trues11.Contains(text) || Falses11.Contains(text))
        {
            return true;
        }

        var c = text[0];
        if (c is not ((>= '0' and <= '9') or '-' or '+' or '.'))
        {
            return false;
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        return TryGoInteger(plain, out _) || FloatPattern().IsMatch(plain) || SpecialFloat().IsMatch(text)
            || Sexagesimal().IsMatch(text) || Timestamp().IsMatch(text);
    }

    /// <summary>Go's strconv.ParseInt(s, 0, 64) syntax: sign, 0x/0o/0b prefixes, a leading 0 means octal.</summary>
    private static bool TryGoInteger(string s, out BigInteger value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
        }

        if (i >= s.Length)
        {
            return false;
        }

        var radix = 10;
        if (s[i] == '0' && i + 1 < s.Length)
        {
            switch (s[i + 1])
            {
                case 'x' or 'X': radix = 16; i += 2; break;
                case 'o' or 'O': radix = 8; i += 2; break;
                case 'b' or 'B': radix = 2; i += 2; break;
                default: radix = 8; i += 1; break;
            }

            if (i >= s.Length)
            {
                return false;
            }
        }

        for (; i < s.Length; i++)
        {
            var digit = s[i] switch
            {
                >= '0' and <= '9' => s[i] - '0',
                >= 'a' and <= 'f' => s[i] - 'a' + 10,
                >= 'A' and <= 'F' => s[i] - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }

    /// <summary>yaml.v3 decodes unquoted timestamps as time values, which Go then writes as RFC 3339.</summary>
    private static bool TryTimestamp(string text, out string result)
    {
        result = text;
        var m = Timestamp().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var date = $"{m.Groups[1].Value}-{int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture):00}-{int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture):00}";
        if (!m.Groups[4].Success)
        {
            result = date + "T00:00:00Z";
            return true;
        }

        var fraction = m.Groups[7].Success ? m.Groups[7].Value.TrimEnd('0') : "";
        if (fraction == ".")
        {
            fraction = "";
        }

        var zone = m.Groups[8].Success ? m.Groups[8].Value : "Z";
        if (zone != "Z")
        {
            var sign = zone[0];
            var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
            var hours = digits.Length <= 2 ? digits : digits[..^2];
            var minutes = digits.Length <= 2 ? "00" : digits[^2..];
            zone = hours == "0" || (hours == "00" && minutes == "00") ? "Z" : $"{sign}{int.Parse(hours, CultureInfo.InvariantCulture):00}:{minutes}";
        }

        result = $"{date}T{int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture):00}:{m.Groups[5].Value}:{m.Groups[6].Value}{fraction}{zone}";
        return true;
    }

    /// <summary>Formats a double as Go's encoding/json and yaml.v2 would print it after a round trip.</summary>
    public static string FormatDouble(double d)
    {
        if (Math.Abs(d) < 1e21 && d == Math.Floor(d))
        {
            return ((BigInteger)d).ToString(CultureInfo.InvariantCulture);
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            // Go's 'g' switches to an exponent below 1e-4.
            return Math.Abs(d) < 1e-4 ? ToExponent(d) : r;
        }

        return ToExponent(d);
    }

    private static string ToExponent(double d)
    {
        var r = d.ToString("E16", CultureInfo.InvariantCulture);
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        // Shortest digits from "R", exponent normalised to Go's e+XX / e-XX.
        var mantissa = shortest.Contains('E', StringComparison.Ordinal) ? shortest[..shortest.IndexOf('E', StringComparison.Ordinal)] : null;
        var exp = int.Parse(r[(r.IndexOf('E', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        if (mantissa is null)
        {
            var digits = shortest.TrimStart('-').Replace(".", "", StringComparison.Ordinal).TrimStart('0');
            mantissa = (d < 0 ? "-" : "") + digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "");
        }

        return $"{mantissa}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
    }
}
