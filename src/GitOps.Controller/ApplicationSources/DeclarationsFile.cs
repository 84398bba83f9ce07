namespace GitOps.Controller.ApplicationSources;

/// <summary>The reload loop of a local declarations file (--applications, --pipelines): its modification time is
/// polled every second, a changed file is loaded again, and a broken edit is logged while the previous set is kept
/// (nothing is removed because of a typo). Loading it at start-up, where an error must stop the controller, is the
/// caller's.</summary>
internal static class DeclarationsFile
{
    public static DateTime LastWrite(string path) => File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;

    public static async Task FollowAsync(string path, DateTime loaded, string what, Action reload, TimeProvider clock, ILogger logger,
        CancellationToken stoppingToken)
    {
        var lastWrite = loaded;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var write = LastWrite(path);
                if (write == lastWrite)
                {
                    continue;
                }

                lastWrite = write;
                try
                {
                    reload();
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    logger.LogError("{What} file {File} is invalid, keeping the previous set: {Error}", what, path, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
