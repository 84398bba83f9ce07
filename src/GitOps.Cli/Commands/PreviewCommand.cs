using System.CommandLine;
using GitOps.Applications;
using GitOps.Cli.Client;
using GitOps.Cli.Preview;
using GitOps.Source;

namespace GitOps.Cli.Commands;

/// <summary>`gitops preview`: what a change between two revisions of a repository does to the rendered apps.</summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var baseRef = new Option<string>("--base") { Description = "The revision to compare from (branch, tag, SHA; in a local checkout anything git accepts, e.g. origin/main)", Required = true };
        var headRef = new Option<string>("--head") { Description = "The revision to compare to (default HEAD)", DefaultValueFactory = _ => "HEAD" };
        var repo = new Option<string>("--repo") { Description = "The repository: a local checkout (default: the current directory) or a URL", DefaultValueFactory = _ => "." };
        var apps = new Option<string?>("--apps") { Description = "Applications file (the controller's --applications format); apps whose repoURL is this repository are previewed. Without it, the applications come from the controller (--server, --token)" };
        var live = new Option<bool>("--live") { Description = "Compare head against the live cluster instead of base (the controller renders head and compares, as `gitops app diff`; needs the controller, not --apps)" };
        var output = new Option<PreviewFormat>("--output", "-o")
        {
            Description = "Output format: text (default), markdown (a pull-request comment), json",
            HelpName = "text|markdown|json",
            CustomParser = r => r.Tokens.Count == 0 ? PreviewFormat.Text : r.Tokens[0].Value switch
            {
                "text" => PreviewFormat.Text,
                "markdown" or "md" => PreviewFormat.Markdown,
                "json" => PreviewFormat.Json,
                var other => Fail(r, $"unknown output format '{other}' (text, markdown, json)"),
            },
            DefaultValueFactory = _ => PreviewFormat.Text,
        };
        var exitCode = new Option<bool>("--exit-code") { Description = "Exit 1 when some app changes (0 none, 2 error), like diff --exit-code" };
        var maxSize = new Option<int>("--max-size") { Description = "Markdown: truncate past this many characters (GitHub comments stop at 65536)", DefaultValueFactory = _ => PreviewFormats.DefaultMarkdownLimit };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Where the repository mirror and snapshots go (default: a temporary directory, removed afterwards)" };

        var command = new Command("preview", "Render every application of a repository whose output can change between two revisions, " +
            "and print the objects added, removed and changed, each with a unified diff (Secret values masked).\n\n" +
            "Examples:\n  gitops preview --apps apps.yaml --base origin/main --head HEAD\n" +
            "  gitops preview --apps apps.yaml --base main --head feature -o markdown --exit-code > comment.md\n" +
            "  gitops preview --server gitops.example.com:443 --token $T --base origin/main --head HEAD --live -o markdown")
        {
            baseRef, headRef, repo, apps, live, output, exitCode, maxSize, cacheDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var appsFile = parse.GetValue(apps);
            if (appsFile is not null && parse.GetValue(live))
            {
                await Console.Error.WriteLineAsync("error: --live compares against the cluster through the controller: use --server instead of --apps");
                return ExitCodes.Error;
            }

            if (appsFile is not null)
            {
                return await RunAsync(parse, ApplicationDocuments.LoadFile(appsFile), null, ct);
            }

            // The applications (and with --live, the comparison) from the controller, under the token's scope.
            return await GrpcErrors.RunAsync(Connection.From(parse), async client =>
            {
                var controller = new ControllerApps(client);
                return await RunAsync(parse, await controller.ListAsync(ct), parse.GetValue(live) ? controller : null, ct);
            });
        });
        return command;

        async Task<int> RunAsync(ParseResult parse, IReadOnlyList<Application> declared, ILiveComparison? liveComparison,
            CancellationToken ct)
        {
            var cache = parse.GetValue(cacheDir);
            var temporary = cache is null;
            cache ??= Path.Combine(Path.GetTempPath(), "gitops-preview-" + Guid.NewGuid().ToString("N")[..12]);
            try
            {
                var repository = await PreviewRepository.OpenAsync(parse.GetValue(repo)!, cache, ct);
                var report = await new Previewer(ApplicationRender.CreateRenderer(), liveComparison)
                    .RunAsync(repository, parse.GetValue(baseRef)!, parse.GetValue(headRef)!, declared, ct);
                await Console.Out.WriteAsync(parse.GetValue(output) switch
                {
                    PreviewFormat.Markdown => PreviewFormats.Markdown(report, parse.GetValue(maxSize)),
                    PreviewFormat.Json => PreviewFormats.Json(report),
                    _ => PreviewFormats.Text(report),
                });
                if (report.HasErrors)
                {
                    await Console.Error.WriteLineAsync("error: some applications failed to render (see the report)");
                    return ExitCodes.Error;
                }

                return parse.GetValue(exitCode) && report.HasChanges ? ExitCodes.Differences : ExitCodes.Ok;
            }
            catch (GitSourceException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Error;
            }
            finally
            {
                if (temporary && Directory.Exists(cache))
                {
                    DeleteTree(cache);
                }
            }
        }
    }

    // Git writes pack files read-only; clear the flag so the temporary cache can go.
    private static void DeleteTree(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(directory, recursive: true);
    }

    private static PreviewFormat Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return PreviewFormat.Text;
    }
}
