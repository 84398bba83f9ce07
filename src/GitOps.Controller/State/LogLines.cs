using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Controller.State;

/// <summary>
/// The operation log lines a status keeps, as one UTF-8 buffer (each line prefixed by its byte length) instead
/// of a list of strings: every app keeps its last sync's lines for as long as it runs, which at tens of
/// thousands of apps made them one of the largest parts of the heap (a UTF-16 string per line, plus the list).
/// Read only when the status is written or inspected; persisted as the same JSON array of strings.
/// </summary>
internal sealed class LogLines : IReadOnlyList<string>
{
    private readonly byte[] data;

    private LogLines(byte[] data, int count)
    {
        this.data = data;
        Count = count;
    }

    public static LogLines Empty { get; } = new([], 0);

    public int Count { get; }

    public string this[int index] => (uint)index < (uint)Count
        ? Spans().Skip(index).Select(Decode).First()
        : throw new ArgumentOutOfRangeException(nameof(index));

    public static LogLines Of(IEnumerable<string> lines)
    {
        string[] all = [.. lines];
        if (all.Length == 0)
        {
            return Empty;
        }

        var size = all.Sum(l => PrefixLength(Encoding.UTF8.GetByteCount(l)) + Encoding.UTF8.GetByteCount(l));
        var data = new byte[size];
        var at = 0;
        foreach (var line in all)
        {
            var length = (uint)Encoding.UTF8.GetByteCount(line);
            for (; length >= 0x80; length >>= 7)
            {
                data[at++] = (byte)((length & 0x7F) | 0x80);
            }

            data[at++] = (byte)length;
            at += Encoding.UTF8.GetBytes(line, data.AsSpan(at));
        }

        return new LogLines(data, all.Length);
    }

    private static int PrefixLength(int length) => length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;

    public IEnumerator<string> GetEnumerator() => Spans().Select(Decode).GetEnumerator();

    private string Decode((int Start, int Length) span) => Encoding.UTF8.GetString(data, span.Start, span.Length);

    private IEnumerable<(int Start, int Length)> Spans()
    {
        var at = 0;
        for (var i = 0; i < Count; i++)
        {
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[at++];
                length |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            yield return (at, length);
            at += length;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Writes log lines as a JSON array of strings (the status's earlier format) and reads them back as
/// <see cref="LogLines"/>.</summary>
internal sealed class LogLinesJsonConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of log lines");
        }

        var lines = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            lines.Add(reader.GetString() ?? "");
        }

        return LogLines.Of(lines);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var line in value)
        {
            writer.WriteStringValue(line);
        }

        writer.WriteEndArray();
    }
}
