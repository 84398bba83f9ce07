using GitOps.Controller.Api;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using Grpc.Core;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.Promotion;

/// <summary>gitops.v1.PipelineService over the runner. A pipeline is visible to a token that can see every
/// stage's app; approving needs the approver role (for that pipeline) or admin; promote needs admin (the token
/// interceptor enforces roles per RPC, this class the per-pipeline scope).</summary>
internal sealed class PipelineGrpcService(
    PipelineRegistry pipelines,
    ApplicationRegistry apps,
    IPipelineStateStore store,
    PipelineRunner runner,
    IPromotionGit git,
    PipelineHub hub,
    IHostApplicationLifetime host) : V1.PipelineService.PipelineServiceBase
{
    public override async Task<V1.ListPipelinesResponse> List(V1.ListPipelinesRequest request, ServerCallContext context)
    {
        var grant = Grant(context);
        var response = new V1.ListPipelinesResponse();
        foreach (var pipeline in pipelines.All.Where(p => p.Applications.All(a => CanSee(grant, a))))
        {
            response.Pipelines.Add(PipelineProtoMapping.ToProto(pipeline, await store.GetAsync(pipeline.Name, context.CancellationToken), apps));
        }

        return response;
    }

    public override async Task<V1.Pipeline> Get(V1.PipelineRef request, ServerCallContext context)
    {
        var pipeline = Require(request.Name, context);
        return PipelineProtoMapping.ToProto(pipeline, await store.GetAsync(pipeline.Name, context.CancellationToken), apps);
    }

    public override async Task Watch(V1.PipelineRef request, IServerStreamWriter<V1.Pipeline> responseStream, ServerCallContext context)
    {
        var grant = Grant(context);
        string? filter = request.Name.Length > 0 ? Require(request.Name, context).Name : null;
        using var lifetime = ServerStreams.Lifetime(context, host);
        var ct = lifetime.Token;
        var updates = hub.Subscribe(filter, ct);
        foreach (var pipeline in pipelines.All.Where(p => (filter is null || p.Name == filter) && p.Applications.All(a => CanSee(grant, a))))
        {
            await responseStream.WriteAsync(PipelineProtoMapping.ToProto(pipeline, await store.GetAsync(pipeline.Name, ct), apps), ct);
        }

        try
        {
            await foreach (var (name, status) in updates.ReadAllAsync(ct))
            {
                if (pipelines.Find(name) is { } pipeline && pipeline.Applications.All(a => CanSee(grant, a)))
                {
                    await responseStream.WriteAsync(PipelineProtoMapping.ToProto(pipeline, status, apps), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public override Task<V1.Pipeline> Approve(V1.ApprovalRequest request, ServerCallContext context) =>
        DecideAsync(request, ApprovalDecision.Approved, context);

    public override Task<V1.Pipeline> Reject(V1.ApprovalRequest request, ServerCallContext context) =>
        DecideAsync(request, ApprovalDecision.Rejected, context);

    public override Task<V1.PromoteResponse> Promote(V1.PromoteRequest request, ServerCallContext context) =>
        Guard(async () =>
        {
            var pipeline = Require(request.Name, context);
            var (status, promoted) = await runner.PromoteAsync(pipeline.Name, request.Stage, request.Revision, request.Force,
                Grant(context).Subject, context.CancellationToken);
            return new V1.PromoteResponse
            {
                Commit = promoted.PromotedCommit ?? "",
                Pipeline = PipelineProtoMapping.ToProto(pipeline, status, apps),
            };
        });

    public override Task<V1.PipelineHistoryResponse> History(V1.PipelineHistoryRequest request, ServerCallContext context) =>
        Guard(async () =>
        {
            var pipeline = Require(request.Name, context);
            var stages = pipeline.Spec.Stages.Skip(1).Where(s => request.Stage.Length == 0 || s.Name == request.Stage).ToList();
            if (stages.Count == 0)
            {
                throw new AppOperationException(AppError.NotFound, $"pipeline '{pipeline.Name}' has no stage '{request.Stage}' after its first");
            }

            var limit = request.Limit > 0 ? request.Limit : 50;
            var response = new V1.PipelineHistoryResponse();
            var entries = new List<V1.PromotionRecord>();
            foreach (var stage in stages)
            {
                if (apps.Find(stage.Application) is { } app)
                {
                    var log = await git.LogAsync(app.Spec.Source.RepoUrl, app.Spec.Source.TargetRevision, limit, context.CancellationToken);
                    entries.AddRange(log.Select(c => PipelineProtoMapping.ToProto(stage.Name, c)));
                }
            }

            response.Entries.AddRange(entries.OrderByDescending(e => e.At.ToDateTimeOffset()).Take(limit));
            return response;
        });

    private Task<V1.Pipeline> DecideAsync(V1.ApprovalRequest request, ApprovalDecision decision, ServerCallContext context) =>
        Guard(async () =>
        {
            var pipeline = Require(request.Name, context);
            var grant = Grant(context);
            if (!grant.CanApprove(pipeline.Name))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    $"token '{grant.Subject}' is not an approver of pipeline '{pipeline.Name}'"));
            }

            var status = await runner.DecideAsync(pipeline.Name, request.Stage, request.Revision, grant.Subject, decision,
                request.Comment, context.CancellationToken);
            return PipelineProtoMapping.ToProto(pipeline, status, apps);
        });

    private Pipeline Require(string name, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "pipeline name is required"));
        }

        // A pipeline with an app outside the token's scope is reported as absent, so names do not leak.
        if (pipelines.Find(name) is not { } pipeline || !pipeline.Applications.All(a => CanSee(Grant(context), a)))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"pipeline '{name}' not found"));
        }

        return pipeline;
    }

    private static ApiGrant Grant(ServerCallContext context) => ApplicationGrpcService.Grant(context);

    /// <summary>The API's error mapping, plus git's: a promotion racing a branch change is Aborted.</summary>
    private static Task<T> Guard<T>(Func<Task<T>> action) => ApplicationGrpcService.Guard(async () =>
    {
        try
        {
            return await action();
        }
        catch (GitOps.Source.GitSourceException e)
        {
            throw new RpcException(new Status(e.Kind == GitOps.Source.GitSourceErrorKind.Conflict ? StatusCode.Aborted : StatusCode.Unavailable, e.Message));
        }
    });

    /// <summary>A pipeline is visible to a token that may see every app of it (an app not declared yet only by name).</summary>
    private bool CanSee(ApiGrant grant, string app) =>
        apps.Find(app) is { } declared ? grant.CanSee(declared) : grant.Apps is null || grant.Apps.Contains(app);
}
