namespace GitOps.Cli.Output;

/// <summary>Progress for long operations: on a terminal, lines with elapsed time on stderr; otherwise
/// plain lines, so logs of CI jobs stay readable.</summary>
internal sealed class Progress
{
    private readonly DateTime started = DateTime.UtcNow;
    private readonly bool terminal = !Console.IsErrorRedirected;

    public void Line(string message)
    {
        if (terminal)
        {
            Console.Error.WriteLine($"[{(DateTime.UtcNow - started).TotalSeconds,5:0.0}s] {message}");
        }
        else
        {
            Console.Error.WriteLine(message);
        }
    }
}
