using System.Text.Json.Nodes;
using GitOps.Controller.Applications;
using GitOps.Controller.Reconcile;
using GitOps.Controller.State;
using GitOps.Engine;
using GitOps.Engine.Diff;
using GitOps.Rendering;
using GitOps.Rendering.Yaml;
using Grpc.Core;
using V1 = GitOps.Api.V1;

namespace GitOps.Controller.Api;

/// <summary>gitops.v1.ApplicationService over the reconciler. Errors map to gRPC codes with messages a user
/// can act on.</summary>
internal sealed class ApplicationGrpcService(
    ApplicationRegistry registry,
    IStateStore store,
    Reconciler reconciler,
    WorkQueue queue,
    StatusHub hub,
    IHostApplicationLifetime host) : V1.ApplicationService.ApplicationServiceBase
{
    public override async Task<V1.ListResponse> List(V1.ListRequest request, ServerCallContext context)
    {
        var grant = Grant(context);
        var response = new V1.ListResponse();
        foreach (var app in registry.All.Where(grant.CanSee))
        {
            var message = ProtoMapping.ToProto(app, await store.GetAsync(app.Name, context.CancellationToken), false);
            if (request.IncludeSpec)
            {
                message.SpecJson = ProtoMapping.SpecJson(app);
            }

            response.Applications.Add(message);
        }

        return response;
    }

    public override async Task<V1.Application> Get(V1.GetRequest request, ServerCallContext context)
    {
        var message = await GetAppAsync(request.Name, request.IncludeHistory, context);
        if (request.IncludeSpec)
        {
            message.SpecJson = ProtoMapping.SpecJson(Require(request.Name, context));
        }

        return message;
    }

    public override async Task Watch(V1.WatchRequest request, IServerStreamWriter<V1.Application> responseStream,
        ServerCallContext context)
    {
        var grant = Grant(context);
        string? filter = null;
        if (request.Name.Length > 0)
        {
            Require(request.Name, context);
            filter = request.Name;
        }

        using var lifetime = ServerStreams.Lifetime(context, host);
        var ct = lifetime.Token;
        var updates = hub.Subscribe(filter, ct);
        // First the current state, then every change.
        foreach (var app in registry.All.Where(a => (filter is null || a.Name == filter) && grant.CanSee(a)))
        {
            await responseStream.WriteAsync(ProtoMapping.ToProto(app, await store.GetAsync(app.Name, ct), false), ct);
        }

        try
        {
            await foreach (var (name, status) in updates.ReadAllAsync(ct))
            {
                if (registry.Find(name) is { } app && grant.CanSee(app))
                {
                    await responseStream.WriteAsync(ProtoMapping.ToProto(app, status, false), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public override Task<V1.DiffResponse> Diff(V1.DiffRequest request, ServerCallContext context) =>
        Guard(async () =>
        {
            Require(request.Name, context);
            var (revision, comparison) = await reconciler.DiffAsync(request.Name,
                request.Revision.Length > 0 ? request.Revision : null, context.CancellationToken);
            var response = new V1.DiffResponse
            {
                Revision = ProtoMapping.ToProto(revision),
                HasDifferences = comparison.Sync == SyncState.OutOfSync,
            };
            response.Resources.AddRange(comparison.Diffs.Select(d => new V1.ResourceDiff
            {
                Group = d.Resource.Group,
                Kind = d.Resource.Kind,
                Namespace = d.Resource.Namespace,
                Name = d.Resource.Name,
                Status = ProtoMapping.ToProto(d.Resource.Status),
                UnifiedDiff = d.UnifiedDiff,
                JsonPatch = d.JsonPatch,
                Missing = d.Resource.Missing,
                Extraneous = d.Resource.Extraneous,
                Message = d.Resource.Message,
            }));
            return response;
        });

    public override Task<V1.SyncResponse> Sync(V1.SyncRequest request, ServerCallContext context) =>
        Guard(async () =>
        {
            var app = Require(request.Name, context);
            var parameters = new SyncParameters(request.Prune, request.DryRun,
                app.Spec.SyncPolicy?.Automated?.AllowEmpty ?? false, request.Resources.ToList());
            var (status, operation) = await reconciler.SyncAsync(request.Name, parameters, context.CancellationToken);
            return new V1.SyncResponse
            {
                Operation = ProtoMapping.ToProto(operation),
                Application = ProtoMapping.ToProto(app, status, false),
            };
        });

    public override Task<V1.Application> Pause(V1.AppRef request, ServerCallContext context) =>
        SetPausedAsync(request.Name, true, context);

    public override Task<V1.Application> Resume(V1.AppRef request, ServerCallContext context) =>
        SetPausedAsync(request.Name, false, context);

    public override Task<V1.RollbackResponse> Rollback(V1.RollbackRequest request, ServerCallContext context) =>
        Guard(async () =>
        {
            var app = Require(request.Name, context);
            var (outcome, status) = await reconciler.RollbackAsync(request.Name,
                request.TargetCase == V1.RollbackRequest.TargetOneofCase.HistoryId ? request.HistoryId : null,
                request.TargetCase == V1.RollbackRequest.TargetOneofCase.Commit ? request.Commit : null,
                context.CancellationToken);
            queue.Add(request.Name, Trigger.Rollback);
            var response = new V1.RollbackResponse
            {
                RevertCommit = outcome.RevertCommit,
                Application = ProtoMapping.ToProto(app, status, true),
            };
            response.RevertedCommits.AddRange(outcome.RevertedCommits);
            return response;
        });

    public override Task<V1.HistoryResponse> History(V1.AppRef request, ServerCallContext context) =>
        Guard(async () =>
        {
            Require(request.Name, context);
            var status = await store.GetAsync(request.Name, context.CancellationToken);
            var response = new V1.HistoryResponse();
            response.Entries.AddRange(status.History.Select(ProtoMapping.ToProto));
            return response;
        });

    public override Task<V1.ManifestsResponse> Manifests(V1.ManifestsRequest request, ServerCallContext context) =>
        Guard(async () =>
        {
            Require(request.Name, context);
            var (revision, objects) = await reconciler.ManifestsAsync(request.Name,
                request.Revision.Length > 0 ? request.Revision : null, context.CancellationToken);
            return new V1.ManifestsResponse
            {
                // Rendered objects are the one place values reach the API unmasked (diffs and errors are masked
                // by the engine): mask here, at the edge, whoever asks.
                Yaml = ManifestYaml.Write(objects.Select(o => new Manifest(SecretMasker.Masked(o)))),
                Revision = ProtoMapping.ToProto(revision),
            };
        });

    public override Task<V1.Application> Refresh(V1.AppRef request, ServerCallContext context) =>
        Guard(async () =>
        {
            Require(request.Name, context);
            // A refresh compares now; any sync it leads to is the policy's (auto), not the user's.
            await reconciler.ReconcileAsync(request.Name, Trigger.Interval, context.CancellationToken);
            return await GetAppAsync(request.Name, false, context);
        });

    private Task<V1.Application> SetPausedAsync(string name, bool paused, ServerCallContext context) =>
        Guard(async () =>
        {
            var app = Require(name, context);
            var status = await reconciler.SetPausedAsync(name, paused, context.CancellationToken);
            if (!paused)
            {
                queue.Add(name, Trigger.SpecChange);
            }

            return ProtoMapping.ToProto(app, status, false);
        });

    private async Task<V1.Application> GetAppAsync(string name, bool includeHistory, ServerCallContext context)
    {
        var app = Require(name, context);
        return ProtoMapping.ToProto(app, await store.GetAsync(name, context.CancellationToken), includeHistory);
    }

    private GitOps.Applications.Application Require(string name, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "application name is required"));
        }

        // An app outside the token's scope is reported as absent, so names do not leak.
        if (registry.Find(name) is not { } app || !Grant(context).CanSee(app))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"application '{Bounded(name, MaxEchoedName)}' not found"));
        }

        return app;
    }

    internal static ApiGrant Grant(ServerCallContext context) =>
        context.UserState.TryGetValue(TokenAuthInterceptor.GrantKey, out var grant) && grant is ApiGrant g
            ? g
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "not authenticated"));

    internal static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (AppOperationException e)
        {
            throw new RpcException(new Status(e.Kind switch
            {
                AppError.NotFound => StatusCode.NotFound,
                AppError.InvalidArgument => StatusCode.InvalidArgument,
                _ => StatusCode.FailedPrecondition,
            }, Bounded(e.Message, MaxErrorMessage)));
        }
        catch (RenderException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, Bounded($"render: {e.Message}", MaxErrorMessage)));
        }
        catch (GitOps.Source.GitSourceException e)
        {
            // A fetch that failed may pass; anything else (a revision the repository does not have, unsafe content) is
            // the caller's to fix. Git's messages carry no credentials (RepositoryUrl.Mask).
            throw new RpcException(new Status(e.Kind is GitOps.Source.GitSourceErrorKind.Network or GitOps.Source.GitSourceErrorKind.Authentication
                ? StatusCode.Unavailable : StatusCode.FailedPrecondition, Bounded($"source: {e.Message}", MaxErrorMessage)));
        }
    }

    // What an error may echo back: a request's text can be huge (a 64 KB name), and a status message travels in
    // an HTTP/2 trailer, where an oversized one turns the answer into Unavailable for the client.
    private const int MaxEchoedName = 253;
    private const int MaxErrorMessage = 2048;

    private static string Bounded(string text, int max) =>
        text.Length <= max ? text : $"{text[..max]}… ({text.Length - max} more characters)";
}
