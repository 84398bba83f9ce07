using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Cli.Client;
using GitOps.Cli.Output;

namespace GitOps.Cli.Commands;

/// <summary>`gitops app …`: the controller's applications over gRPC (as `argocd app …`).</summary>
internal static class AppCommands
{
    private static readonly Option<OutputFormat> Output = OutputOption.Create();

    public static Command Create()
    {
        var app = new Command("app", "Manage applications: list, get, diff, sync, pause, resume, rollback, history, manifests, wait, refresh")
        {
            Output,
            List(), Get(), Diff(), Sync(), Pause(), Resume(), Rollback(), History(), Manifests(), Wait(), Refresh(),
        };
        return app;
    }

    private static Argument<string> AppName() => new("NAME") { Description = "Application name" };

    private static Command List()
    {
        var command = new Command("list", "List applications with their sync and health status.\n\nExamples:\n  gitops app list\n  gitops app list -o json");
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var response = await client.ListAsync(new ListRequest(), cancellationToken: ct);
            Print(parse, response.Applications.Count == 0 && parse.GetValue(Output) is OutputFormat.Table
                ? "No applications.\n"
                : null, () => AppPrinter.Table(response.Applications),
                () => new JsonArray(response.Applications.Select(a => (JsonNode)AppPrinter.ToJson(a)).ToArray()));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Get()
    {
        var name = AppName();
        var history = new Option<bool>("--show-history") { Description = "Include the sync history" };
        var command = new Command("get", "Show one application: source, status, conditions, resources.\n\nExample:\n  gitops app get guestbook -o yaml") { name, history };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var app = await client.GetAsync(new GetRequest { Name = parse.GetValue(name), IncludeHistory = parse.GetValue(history) }, cancellationToken: ct);
            Print(parse, null, () => AppPrinter.Details(app) + (app.History.Count > 0 ? "\n" + AppPrinter.History(app.History) : ""), () => AppPrinter.ToJson(app));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Diff()
    {
        var name = AppName();
        var exitCode = new Option<bool>("--exit-code") { Description = "Exit 1 when there are differences (0 none, 2+ errors)" };
        var revision = new Option<string?>("--revision") { Description = "Compare this revision (branch, tag or commit of the app's repository) instead of its targetRevision" };
        var command = new Command("diff", "Show what a sync would change, as a unified YAML diff (Secret values masked).\n\nExamples:\n  gitops app diff guestbook --exit-code\n  gitops app diff guestbook --revision feature-x") { name, exitCode, revision };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var diff = await client.DiffAsync(new DiffRequest { Name = parse.GetValue(name), Revision = parse.GetValue(revision) ?? "" }, cancellationToken: ct);
            var format = parse.GetValue(Output);
            if (format is OutputFormat.Json or OutputFormat.Yaml)
            {
                Console.Out.Write(AppPrinter.Serialize(new JsonObject
                {
                    ["revision"] = diff.Revision?.Sha,
                    ["hasDifferences"] = diff.HasDifferences,
                    ["resources"] = new JsonArray(diff.Resources.Select(r => (JsonNode)new JsonObject
                    {
                        ["group"] = r.Group, ["kind"] = r.Kind, ["namespace"] = r.Namespace, ["name"] = r.Name,
                        ["status"] = AppPrinter.SyncText(r.Status), ["diff"] = r.UnifiedDiff,
                        ["patch"] = r.JsonPatch.Length > 0 ? JsonNode.Parse(r.JsonPatch) : null,
                    }).ToArray()),
                }, format));
            }
            else
            {
                foreach (var r in diff.Resources.Where(r => r.UnifiedDiff.Length > 0))
                {
                    Console.Out.Write($"===== {(r.Group.Length > 0 ? r.Group + "/" : "")}{r.Kind} {r.Namespace}/{r.Name} ======\n{r.UnifiedDiff}");
                    if (!r.UnifiedDiff.EndsWith('\n'))
                    {
                        Console.Out.Write('\n');
                    }
                }
            }

            return diff.HasDifferences && parse.GetValue(exitCode) ? ExitCodes.Differences : ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Sync()
    {
        var name = AppName();
        var prune = new Option<bool>("--prune") { Description = "Delete tracked objects no longer in git" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Server-side dry run: show what would change" };
        var wait = new Option<bool>("--wait") { Description = "Wait until Synced and Healthy" };
        var timeout = new Option<string>("--timeout") { Description = "With --wait: give up after this long (e.g. 90s, 5m)", DefaultValueFactory = _ => "5m" };
        var resources = new Option<string[]>("--resource") { Description = "Only these resources, GROUP/KIND/NAMESPACE/NAME (repeatable)" };
        var command = new Command("sync", "Apply the application's manifests now (allowed while paused).\n\nExamples:\n  gitops app sync guestbook\n  gitops app sync guestbook --prune --wait --timeout 2m") { name, prune, dryRun, wait, timeout, resources };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var appName = parse.GetValue(name)!;
            var request = new SyncRequest { Name = appName, Prune = parse.GetValue(prune), DryRun = parse.GetValue(dryRun) };
            request.Resources.AddRange(parse.GetValue(resources) ?? []);
            var progress = new Progress();
            progress.Line($"syncing {appName}…");
            var response = await client.SyncAsync(request, cancellationToken: ct);
            foreach (var r in response.Operation.Results)
            {
                progress.Line($"  {r.Result,-10} {(r.Group.Length > 0 ? r.Group + "/" : "")}{r.Kind} {r.Namespace}/{r.Name}{(r.Message.Length > 0 ? ": " + r.Message : "")}");
            }

            progress.Line($"sync {response.Operation.Phase}: {response.Operation.Message}");
            if (response.Operation.Phase != "Succeeded")
            {
                return ExitCodes.Error;
            }

            if (parse.GetValue(wait) && !request.DryRun)
            {
                return await WaitAsync(client, appName, true, true, Durations.Parse(parse.GetValue(timeout)!), progress, ct);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Pause()
    {
        var name = AppName();
        var command = new Command("pause", "Pause an application: it is still compared, but nothing is applied or pruned automatically.\n\nExample:\n  gitops app pause guestbook") { name };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var app = await client.PauseAsync(new AppRef { Name = parse.GetValue(name) }, cancellationToken: ct);
            Console.Out.WriteLine($"application {app.Name} paused");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Resume()
    {
        var name = AppName();
        var command = new Command("resume", "Resume a paused application.\n\nExample:\n  gitops app resume guestbook") { name };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var app = await client.ResumeAsync(new AppRef { Name = parse.GetValue(name) }, cancellationToken: ct);
            Console.Out.WriteLine($"application {app.Name} resumed");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Rollback()
    {
        var name = AppName();
        var to = new Option<long?>("--to") { Description = "Roll back to this history ID: revert every later commit on the branch" };
        var commit = new Option<string?>("--commit") { Description = "Revert just this commit" };
        var command = new Command("rollback", "Roll back by reverting commits in git (git stays the source of truth); the controller then syncs the revert.\n" +
            "Without --to/--commit, rolls back to the previous successful sync.\n\nExamples:\n  gitops app rollback guestbook\n  gitops app rollback guestbook --to 3\n  gitops app rollback guestbook --commit 1a2b3c4") { name, to, commit };
        command.Validators.Add(r =>
        {
            if (r.GetValue(to) is not null && r.GetValue(commit) is not null)
            {
                r.AddError("--to and --commit cannot be used together");
            }
        });
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var request = new RollbackRequest { Name = parse.GetValue(name) };
            if (parse.GetValue(to) is { } id)
            {
                request.HistoryId = id;
            }
            else if (parse.GetValue(commit) is { } sha)
            {
                request.Commit = sha;
            }

            var response = await client.RollbackAsync(request, cancellationToken: ct);
            Console.Out.WriteLine($"reverted {response.RevertedCommits.Count} commit(s): {string.Join(", ", response.RevertedCommits.Select(c => AppPrinter.ShortSha(c)))}");
            Console.Out.WriteLine($"pushed revert commit {AppPrinter.ShortSha(response.RevertCommit)}; the controller syncs it next");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command History()
    {
        var name = AppName();
        var command = new Command("history", "Show the sync history (newest last).\n\nExample:\n  gitops app history guestbook") { name };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var response = await client.HistoryAsync(new AppRef { Name = parse.GetValue(name) }, cancellationToken: ct);
            Print(parse, null, () => AppPrinter.History(response.Entries),
                () => new JsonArray(response.Entries.Select(h => (JsonNode)AppPrinter.ToJson(h)).ToArray()));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Manifests()
    {
        var name = AppName();
        var revision = new Option<string?>("--revision") { Description = "Render this revision instead of targetRevision" };
        var command = new Command("manifests", "Print the application's rendered manifests.\n\nExample:\n  gitops app manifests guestbook --revision v1.2.0") { name, revision };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var response = await client.ManifestsAsync(new ManifestsRequest { Name = parse.GetValue(name), Revision = parse.GetValue(revision) ?? "" }, cancellationToken: ct);
            Console.Out.Write(response.Yaml);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Wait()
    {
        var name = AppName();
        var sync = new Option<bool>("--sync") { Description = "Wait until Synced" };
        var health = new Option<bool>("--health") { Description = "Wait until Healthy" };
        var timeout = new Option<string>("--timeout") { Description = "Give up after this long (e.g. 90s, 5m); exit 1", DefaultValueFactory = _ => "5m" };
        var command = new Command("wait", "Wait for an application to be Synced and/or Healthy (both when neither is given).\n\nExample:\n  gitops app wait guestbook --health --timeout 2m") { name, sync, health, timeout };
        command.SetAction((parse, ct) => Run(parse, client =>
        {
            var (s, h) = (parse.GetValue(sync), parse.GetValue(health));
            return WaitAsync(client, parse.GetValue(name)!, s || !h, h || !s, Durations.Parse(parse.GetValue(timeout)!), new Progress(), ct);
        }));
        return command;
    }

    private static Command Refresh()
    {
        var name = AppName();
        var command = new Command("refresh", "Fetch from git and compare now.\n\nExample:\n  gitops app refresh guestbook") { name };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var app = await client.RefreshAsync(new AppRef { Name = parse.GetValue(name) }, cancellationToken: ct);
            Print(parse, null, () => AppPrinter.Table([app]), () => AppPrinter.ToJson(app));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> WaitAsync(ApplicationService.ApplicationServiceClient client, string name, bool sync,
        bool health, TimeSpan timeout, Progress progress, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string last = "";
        try
        {
            using var stream = client.Watch(new WatchRequest { Name = name }, cancellationToken: deadline.Token);
            while (await stream.ResponseStream.MoveNext(deadline.Token))
            {
                var app = stream.ResponseStream.Current;
                var state = $"{AppPrinter.SyncText(app.SyncStatus)}/{AppPrinter.HealthText(app.HealthStatus)}";
                if (state != last)
                {
                    var waiting = app.Resources.Where(r => r.Health is not HealthStatus.Healthy and not HealthStatus.Unknown)
                        .Select(r => $"{r.Kind}/{r.Name} {AppPrinter.HealthText(r.Health)}").Take(5).ToList();
                    progress.Line($"{name}: {state}{(waiting.Count > 0 ? " — waiting for " + string.Join(", ", waiting) : "")}");
                    last = state;
                }

                if ((!sync || app.SyncStatus == SyncStatus.Synced) && (!health || app.HealthStatus == HealthStatus.Healthy))
                {
                    return ExitCodes.Ok;
                }
            }
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.Cancelled or Grpc.Core.StatusCode.DeadlineExceeded
                                               && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }

        await Console.Error.WriteLineAsync($"timed out after {timeout} waiting for {name} ({last})");
        return ExitCodes.Differences;
    }

    private static void Print(ParseResult parse, string? empty, Func<string> table, Func<JsonNode> json) =>
        OutputOption.Print(parse, Output, empty, table, json);

    private static Task<int> Run(ParseResult parse, Func<ApplicationService.ApplicationServiceClient, Task<int>> action) =>
        GrpcErrors.RunAsync(Connection.From(parse), action);
}
