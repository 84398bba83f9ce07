using Microsoft.Extensions.Logging;

namespace GitOps.Bench.Engine;

/// <summary>Minimal stderr logger (the benchmark has no hosting).</summary>
internal sealed class ConsoleLogger<T>(LogLevel minimum) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}");
        }
    }
}
