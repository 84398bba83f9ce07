using System.CommandLine;
using System.Text.Json.Nodes;
using GitOps.Api.V1;
using GitOps.Cli.Client;
using GitOps.Cli.Output;

namespace GitOps.Cli.Commands;

/// <summary>`gitops pipeline …`: promotion pipelines over gRPC, with the output formats and exit codes of `gitops app`.</summary>
internal static class PipelineCommands
{
    private static readonly Option<OutputFormat> Output = OutputOption.Create();

    public static Command Create() => new("pipeline", "Promotion pipelines: list, get, watch, approve, reject, promote, history")
    {
        Output,
        List(), Get(), Watch(), Decide("approve", approve: true), Decide("reject", approve: false), Promote(), History(),
    };

    private static Argument<string> PipelineName() => new("NAME") { Description = "Pipeline name" };

    private static Option<string> StageOption() => new("--stage") { Description = "The stage the revision waits to enter", Required = true };

    private static Option<string?> RevisionOption() => new("--revision") { Description = "The tag or SHA expected to be waiting (refused if another one is)" };

    private static Command List()
    {
        var command = new Command("list", "List pipelines with what each stage runs and what waits.\n\nExample:\n  gitops pipeline list");
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var response = await client.ListAsync(new ListPipelinesRequest(), cancellationToken: ct);
            OutputOption.Print(parse, Output, response.Pipelines.Count == 0 && parse.GetValue(Output) is OutputFormat.Table ? "No pipelines.\n" : null,
                () => PipelinePrinter.Table(response.Pipelines),
                () => new JsonArray(response.Pipelines.Select(p => PipelinePrinter.ToJson(p)).ToArray()));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Get()
    {
        var name = PipelineName();
        var command = new Command("get", "Show a pipeline: per stage the current revision, the candidate, every gate with its reason, approvals.\n\nExample:\n  gitops pipeline get sample -o yaml") { name };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var pipeline = await client.GetAsync(new PipelineRef { Name = parse.GetValue(name) }, cancellationToken: ct);
            OutputOption.Print(parse, Output, null, () => PipelinePrinter.Details(pipeline), () => PipelinePrinter.ToJson(pipeline));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Watch()
    {
        var name = PipelineName();
        var stage = new Option<string?>("--stage") { Description = "With --until: the stage whose candidate is watched" };
        var until = new Option<CandidatePhase?>("--until")
        {
            Description = "Exit 0 once the stage's candidate reaches this phase",
            HelpName = "waiting|blocked|rejected|promoted|superseded|rolled-back",
            CustomParser = r => PipelinePrinter.ParsePhase(r.Tokens[0].Value) ?? Fail(r, $"unknown phase '{r.Tokens[0].Value}' (waiting, blocked, rejected, promoted, superseded, rolled-back)"),
        };
        var timeout = new Option<string?>("--timeout") { Description = "Stop after this long (e.g. 10m): exit 0, or 1 when --until was not reached" };
        var command = new Command("watch", "Stream a pipeline's changes as they happen: per stage what it runs and the candidate's phase and why (Ctrl-C stops; " +
            "-o json prints one JSON object per change).\n\nExamples:\n  gitops pipeline watch sample\n  gitops pipeline watch sample --stage prod --until promoted --timeout 30m")
            { name, stage, until, timeout };
        command.Validators.Add(r =>
        {
            if (r.GetValue(until) is not null && r.GetValue(stage) is null)
            {
                r.AddError("--until needs --stage");
            }
        });
        command.SetAction((parse, ct) => Run(parse, client => WatchAsync(client, parse.GetValue(name)!, parse.GetValue(stage), parse.GetValue(until),
            parse.GetValue(timeout) is { } t ? Durations.Parse(t) : null, parse.GetValue(Output), ct)));
        return command;
    }

    private static async Task<int> WatchAsync(PipelineService.PipelineServiceClient client, string name, string? stage, CandidatePhase? until,
        TimeSpan? timeout, OutputFormat format, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        var last = new Dictionary<string, string>();
        try
        {
            using var stream = client.Watch(new PipelineRef { Name = name }, cancellationToken: deadline.Token);
            while (await stream.ResponseStream.MoveNext(deadline.Token))
            {
                var pipeline = stream.ResponseStream.Current;
                // Every evaluation is streamed; only what changed is printed.
                var lines = PipelinePrinter.StageLines(pipeline).Where(l => !last.TryGetValue(l.Stage, out var seen) || seen != l.Line).ToList();
                if (lines.Count > 0)
                {
                    lines.ForEach(l => last[l.Stage] = l.Line);
                    Console.Out.Write(format switch
                    {
                        OutputFormat.Json => PipelinePrinter.ToJson(pipeline).ToJsonString() + "\n",
                        OutputFormat.Yaml => "---\n" + AppPrinter.Serialize(PipelinePrinter.ToJson(pipeline), OutputFormat.Yaml),
                        _ => string.Concat(lines.Select(l => $"{DateTime.Now:HH:mm:ss} {l.Line}\n")),
                    });
                    await Console.Out.FlushAsync(cancellationToken);
                }

                if (until is { } wanted && pipeline.Stages.FirstOrDefault(s => s.Name == stage)?.Candidate?.Phase == wanted)
                {
                    return ExitCodes.Ok;
                }
            }
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Cancelled && deadline.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        if (until is { } phase && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"timed out after {timeout} waiting for stage {stage} of {name} to be {PipelinePrinter.Phase(phase)}");
            return ExitCodes.Differences;
        }

        return ExitCodes.Ok;
    }

    private static CandidatePhase? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    private static Command Decide(string verb, bool approve)
    {
        var (name, stage, revision) = (PipelineName(), StageOption(), RevisionOption());
        var comment = new Option<string?>("--comment") { Description = "Recorded with the decision" };
        var command = new Command(verb, (approve
                ? "Approve the revision waiting to enter a stage (a token with the approver or admin role); the promotion follows once every gate passed."
                : "Reject the revision waiting to enter a stage: it is not promoted; the next revision gets a new decision.")
            + $"\n\nExample:\n  gitops pipeline {verb} sample --stage prod --revision v1.0.1") { name, stage, revision, comment };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var request = new ApprovalRequest
            {
                Name = parse.GetValue(name), Stage = parse.GetValue(stage), Revision = parse.GetValue(revision) ?? "", Comment = parse.GetValue(comment) ?? "",
            };
            var pipeline = approve
                ? await client.ApproveAsync(request, cancellationToken: ct)
                : await client.RejectAsync(request, cancellationToken: ct);
            var candidate = pipeline.Stages.FirstOrDefault(s => s.Name == request.Stage)?.Candidate;
            var what = candidate?.Tag is { Length: > 0 } t ? t : AppPrinter.ShortSha(candidate?.Revision);
            Console.Out.WriteLine($"{(approve ? "approved" : "rejected")} {what} for {request.Stage}: " +
                                  $"{(candidate is null ? "" : PipelinePrinter.Phase(candidate.Phase) + ": " + candidate.Message)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Promote()
    {
        var (name, stage, revision) = (PipelineName(), StageOption(), RevisionOption());
        var force = new Option<bool>("--force") { Description = "Admin override: promote even though gates have not passed (recorded in the commit)" };
        var command = new Command("promote", "Promote the waiting revision now by a commit on the stage's branch: when its gates passed and auto-promotion is off, or with --force.\n\nExample:\n  gitops pipeline promote sample --stage prod --force") { name, stage, revision, force };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var response = await client.PromoteAsync(new PromoteRequest
            {
                Name = parse.GetValue(name), Stage = parse.GetValue(stage), Revision = parse.GetValue(revision) ?? "", Force = parse.GetValue(force),
            }, cancellationToken: ct);
            Console.Out.WriteLine($"promoted to {parse.GetValue(stage)} in commit {AppPrinter.ShortSha(response.Commit)}; the controller syncs it next");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command History()
    {
        var name = PipelineName();
        var stage = new Option<string?>("--stage") { Description = "Only this stage's branch" };
        var limit = new Option<int>("--limit") { Description = "At most this many entries", DefaultValueFactory = _ => 50 };
        var command = new Command("history", "Promotions and reverts on the stages' branches, newest first (the git log is the audit trail).\n\nExample:\n  gitops pipeline history sample --stage prod") { name, stage, limit };
        command.SetAction((parse, ct) => Run(parse, async client =>
        {
            var response = await client.HistoryAsync(new PipelineHistoryRequest
            {
                Name = parse.GetValue(name), Stage = parse.GetValue(stage) ?? "", Limit = parse.GetValue(limit),
            }, cancellationToken: ct);
            OutputOption.Print(parse, Output, null, () => PipelinePrinter.History(response.Entries),
                () => new JsonArray(response.Entries.Select(e => PipelinePrinter.ToJson(e)).ToArray()));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Task<int> Run(ParseResult parse, Func<PipelineService.PipelineServiceClient, Task<int>> action) =>
        GrpcErrors.RunAsync(Connection.From(parse), channel => new PipelineService.PipelineServiceClient(channel), action);
}
