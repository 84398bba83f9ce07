using System.Collections.Concurrent;
using System.Text.Json;

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
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string directory = Path.Combine(stateDirectory, "pipelines");
    private readonly ConcurrentDictionary<string, PipelineStatus> cache = new();

    public async Task<PipelineStatus> GetAsync(string pipeline, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(pipeline, out var cached))
        {
            return cached;
        }

        var path = PathOf(pipeline);
        var status = new PipelineStatus();
        if (File.Exists(path))
        {
            await using var stream = File.OpenRead(path);
            status = await JsonSerializer.DeserializeAsync<PipelineStatus>(stream, Json, cancellationToken) ?? status;
        }

        return cache.GetOrAdd(pipeline, status);
    }

    public async Task SaveAsync(string pipeline, PipelineStatus status, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(pipeline);
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, status, Json, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        cache[pipeline] = status;
    }

    // Pipeline names are validated DNS labels; refuse anything else rather than build a path from it.
    private string PathOf(string pipeline) =>
        pipeline.Length > 0 && pipeline.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? Path.Combine(directory, pipeline + ".json")
            : throw new ArgumentException($"invalid pipeline name '{pipeline}'", nameof(pipeline));
}
