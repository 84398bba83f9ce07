using GitOps.Controller.State;

namespace GitOps.Controller.Promotion;

/// <summary>
/// Evaluates every pipeline on an interval, and a pipeline at once when one of its stages' apps reports a new
/// status (through <see cref="StatusHub"/>) or its declaration changes. Only while <see cref="IPromotionScope"/>
/// says this replica drives promotions (the leader). A failing evaluation is logged and retried next time.
/// </summary>
internal sealed class PipelineLoop(
    PipelineRegistry pipelines,
    PipelineRunner runner,
    StatusHub statuses,
    IPromotionScope scope,
    PromotionOptions options,
    TimeProvider clock,
    ILogger<PipelineLoop> logger) : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0);
    private readonly HashSet<string> due = [];
    private readonly Lock gate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pipelines.Changed += Queue;
        var listener = ListenAsync(stoppingToken);
        var nextFull = clock.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                string[] names;
                if (clock.GetUtcNow() >= nextFull)
                {
                    names = [.. pipelines.All.Select(p => p.Name)];
                    nextFull = clock.GetUtcNow() + options.Interval;
                    lock (gate)
                    {
                        due.Clear();
                    }
                }
                else
                {
                    lock (gate)
                    {
                        names = [.. due];
                        due.Clear();
                    }
                }

                if (scope.Active)
                {
                    foreach (var name in names)
                    {
                        await EvaluateAsync(name, stoppingToken);
                    }
                }

                var wait = nextFull - clock.GetUtcNow();
                await wake.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            pipelines.Changed -= Queue;
            await listener;
        }
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (app, _) in statuses.Subscribe(null, stoppingToken).ReadAllAsync(stoppingToken))
            {
                foreach (var pipeline in pipelines.WithApplication(app))
                {
                    Queue(pipeline.Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Queue(string name)
    {
        lock (gate)
        {
            due.Add(name);
        }

        wake.Release();
    }

    private async Task EvaluateAsync(string name, CancellationToken cancellationToken)
    {
        if (pipelines.Find(name) is null)
        {
            return;
        }

        try
        {
            await runner.EvaluateAsync(name, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Pipeline {Pipeline}: evaluation failed, retrying on the next pass: {Error}", name,
                Reconcile.ErrorMessages.Describe(e));
        }
    }
}
