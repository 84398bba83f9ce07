using System.Text.Json;
using GitOps.Controller.State;

namespace GitOps.Controller.Tests.State;

/// <summary>The operation log kept in compact form reads back line for line and persists as the same JSON array of
/// strings as before.</summary>
public sealed class LogLinesTests
{
    private static readonly string[] Lines =
    [
        "start: revision 0123456789abcdef0123456789abcdef01234567: 2 objects",
        "",
        "sync: ConfigMap/démo/naïve-ü created",
        new string('x', 200) + " a line longer than 127 bytes (a two-byte length)",
        "failed: a message\nwith a newline and a tab\t and \"quotes\"",
        new string('é', 9000),
    ];

    [Fact]
    public void Lines_read_back_as_written()
    {
        var log = LogLines.Of(Lines);

        Assert.Equal(Lines, log);
        Assert.Equal(Lines.Length, log.Count);
        Assert.Equal(Lines[3], log[3]);
        Assert.Equal(Lines[^1], log[^1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => log[Lines.Length]);
        Assert.Empty(LogLines.Of([]));
    }

    [Fact]
    public void A_status_persists_the_log_as_an_array_of_strings_and_reads_it_back()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var operation = new OperationState(OperationPhase.Succeeded, "ok", Initiator.Auto, at, at) { Log = LogLines.Of(Lines) };

        var json = JsonSerializer.SerializeToNode(operation, JsonSerializerOptions.Web)!;
        var read = JsonSerializer.Deserialize<OperationState>(json, JsonSerializerOptions.Web)!;

        Assert.Equal(Lines, json["log"]!.AsArray().Select(l => (string?)l));
        Assert.IsType<LogLines>(read.Log);
        Assert.Equal(Lines, read.Log!);
    }

    [Fact]
    public void A_status_without_a_log_keeps_none()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var json = JsonSerializer.Serialize(new OperationState(OperationPhase.Running, "syncing", Initiator.User, at), JsonSerializerOptions.Web);

        Assert.Contains("\"log\":null", json, StringComparison.Ordinal);
        Assert.Null(JsonSerializer.Deserialize<OperationState>(json, JsonSerializerOptions.Web)!.Log);
    }
}
