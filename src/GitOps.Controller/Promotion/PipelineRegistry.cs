using System.Collections.Concurrent;

namespace GitOps.Controller.Promotion;

/// <summary>The pipelines currently declared (from the --pipelines file or Pipeline objects).</summary>
internal sealed class PipelineRegistry
{
    private readonly ConcurrentDictionary<string, Pipeline> pipelines = new();

    public event Action<string>? Changed;

    public IReadOnlyList<Pipeline> All => [.. pipelines.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];

    public Pipeline? Find(string name) => pipelines.GetValueOrDefault(name);

    /// <summary>The pipelines an application is a stage of.</summary>
    public IEnumerable<Pipeline> WithApplication(string app) => pipelines.Values.Where(p => p.Applications.Contains(app));

    public void ReplaceAll(IEnumerable<Pipeline> declared)
    {
        var next = declared.ToDictionary(p => p.Name);
        foreach (var name in pipelines.Keys.Except(next.Keys).ToList())
        {
            Remove(name);
        }

        foreach (var pipeline in next.Values)
        {
            Upsert(pipeline);
        }
    }

    public void Upsert(Pipeline pipeline)
    {
        pipelines[pipeline.Name] = pipeline;
        Changed?.Invoke(pipeline.Name);
    }

    public void Remove(string name)
    {
        if (pipelines.TryRemove(name, out _))
        {
            Changed?.Invoke(name);
        }
    }
}
