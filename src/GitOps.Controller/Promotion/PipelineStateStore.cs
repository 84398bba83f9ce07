using System.Text.Json;
using GitOps.Controller.State;

namespace GitOps.Controller.Promotion;

/// <summary>Where pipeline status lives (candidates, gate states, approvals): it must survive a restart, since an
/// approval given while a stage waits is only in here until the promotion commit records it in git.</summary>
internal interface IPipelineStateStore
{
    Task<PipelineStatus> GetAsync(string pipeline, CancellationToken cancellationToken);

    Task SaveAsync(string pipeline, PipelineStatus status, CancellationToken cancellationToken);
}

/// <summary>One JSON file per pipeline under <c>STATE_DIR/pipelines</c>, written atomically (temp file + rename).</summary>
internal sealed class LocalPipelineStateStore(string stateDirectory) : IPipelineStateStore
{
    private readonly JsonFileStore<PipelineStatus> files = new(Path.Combine(stateDirectory, "pipelines"),
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }, "pipeline");

    public Task<PipelineStatus> GetAsync(string pipeline, CancellationToken cancellationToken) => files.GetAsync(pipeline, cancellationToken);

    public Task SaveAsync(string pipeline, PipelineStatus status, CancellationToken cancellationToken) =>
        files.SaveAsync(pipeline, status, cancellationToken);
}
