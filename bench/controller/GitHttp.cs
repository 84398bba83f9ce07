using System.Diagnostics;

namespace GitOps.Bench.Controller;

/// <summary>
/// The fixture's repository served over smart HTTP (hack/git-http-server.sh: lighttpd + `git http-backend`, no
/// authentication), as a forge serves it. Over file:// libgit2 computes the pack for each fetch in this process (the
/// server's half of the transport, which walks the whole tree of the commit the mirror already has), so at 50 000
/// app directories the server's work would be counted as the controller's.
/// </summary>
internal sealed class GitHttp : IDisposable
{
    private readonly string directory;
    private bool stopped;

    private GitHttp(string directory, string baseUrl)
    {
        this.directory = directory;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. http://127.0.0.1:PORT/git; a bare repository DIR/x.git is BaseUrl/x.git.</summary>
    public string BaseUrl { get; }

    /// <summary>Serves the bare repositories under <paramref name="directory"/>.</summary>
    public static GitHttp Start(string directory) =>
        new(directory, Script("start", directory).Split('\n')[^1].Trim());

    /// <summary>Stops the server; call it before deleting the directory (its pid file is there).</summary>
    public void Dispose()
    {
        if (!stopped)
        {
            stopped = true;
            Script("stop", directory);
        }
    }

    private static string Script(string command, string directory)
    {
        var start = new ProcessStartInfo("bash", [HackScript(), command, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GIT_HTTP_AUTH"] = "none";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim()
            : throw new InvalidOperationException($"hack/git-http-server.sh {command} failed: {error}");
    }

    private static string HackScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "hack", "git-http-server.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException("hack/git-http-server.sh not found above " + AppContext.BaseDirectory);
    }
}
