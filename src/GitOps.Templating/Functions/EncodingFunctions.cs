using System.Security.Cryptography;
using System.Text;

namespace GitOps.Templating.Functions;

/// <summary>Sprig encodings, hashes, random strings and UUIDs.</summary>
internal static class EncodingFunctions
{
    public static void Register(IDictionary<string, GoFunction> t, Func<Random> random)
    {
        void Add(string name, string sig, GoFunc f) => t[name] = GoFunction.Of(name, sig, f);
        Add("b64enc", "s", (_, a) => Convert.ToBase64String(Encoding.UTF8.GetBytes((string)a[0]!)));
        Add("b64dec", "s", (_, a) => B64Dec((string)a[0]!));
        Add("b32enc", "s", (_, a) => Base32.Encode(Encoding.UTF8.GetBytes((string)a[0]!)));
        Add("b32dec", "s", (_, a) => Base32.Decode((string)a[0]!) is { } b ? Encoding.UTF8.GetString(b) : "illegal base32 data");
        Add("sha1sum", "s", (_, a) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes((string)a[0]!))));
        Add("sha256sum", "s", (_, a) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((string)a[0]!))));
        Add("sha512sum", "s", (_, a) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes((string)a[0]!))));
        Add("adler32sum", "s", (_, a) => Adler32(Encoding.UTF8.GetBytes((string)a[0]!)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("uuidv4", "", (_, _) => Guid.NewGuid().ToString());
        Add("randAlphaNum", "i", (_, a) => RandomString(random(), (long)a[0]!, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"));
        Add("randAlpha", "i", (_, a) => RandomString(random(), (long)a[0]!, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        Add("randNumeric", "i", (_, a) => RandomString(random(), (long)a[0]!, "0123456789"));
        Add("randAscii", "i", (_, a) => RandomString(random(), (long)a[0]!, string.Concat(Enumerable.Range(32, 95).Select(i => (char)i))));
        Add("randBytes", "i", (_, a) => { var b = new byte[Math.Clamp((long)a[0]!, 0, 1 << 20)]; random().NextBytes(b); return Convert.ToBase64String(b); });
    }

    private static string B64Dec(string s)
    {
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(s)); }
        catch (FormatException) { return "illegal base64 data at input byte " + Math.Max(0, s.TrimEnd('=').Length); }
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var x in data) { a = (a + x) % 65521; b = (b + a) % 65521; }
        return (b << 16) | a;
    }

    private static string RandomString(Random random, long count, string alphabet)
    {
        if (count < 0) throw new FunctionException("randomString: count must be >= 0");
        if (count > 1 << 20) throw new FunctionException("randomString: count too large");
        var chars = new char[count];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }

    private static class Base32
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

        public static string Encode(byte[] data)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < data.Length; i += 5)
            {
                var n = Math.Min(5, data.Length - i);
                ulong buf = 0;
                for (var j = 0; j < 5; j++) buf = (buf << 8) | (j < n ? data[i + j] : 0u);
                var chars = (n * 8 + 4) / 5;
                for (var j = 0; j < 8; j++) sb.Append(j < chars ? Alphabet[(int)((buf >> (35 - j * 5)) & 31)] : '=');
            }
            return sb.ToString();
        }

        public static byte[]? Decode(string s)
        {
            s = s.TrimEnd('=');
            var bytes = new List<byte>();
            ulong buf = 0;
            var bits = 0;
            foreach (var c in s)
            {
                var v = Alphabet.IndexOf(c, StringComparison.Ordinal);
                if (v < 0) return null;
                buf = (buf << 5) | (uint)v;
                bits += 5;
                if (bits >= 8) { bits -= 8; bytes.Add((byte)(buf >> bits)); }
            }
            return bytes.ToArray();
        }
    }
}
