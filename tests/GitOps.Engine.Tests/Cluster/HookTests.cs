using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using GitOps.Engine.Tests.Support;
using GitOps.Testing;
using static GitOps.Engine.Tests.Support.Manifests;

namespace GitOps.Engine.Tests.Cluster;

/// <summary>PreSync, Sync, PostSync and SyncFail hooks in order, with their delete policies. There is no
/// kubelet here: the test plays it, marking hook Jobs complete or failed through the status subresource.</summary>
[Collection(LocalClusterFixture.Collection)]
public sealed class HookTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Hooks_run_in_phase_order_and_are_deleted_per_policy()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "hooks");
        using var stop = new CancellationTokenSource();
        var kubelet = CompleteJobsAsync(h.Ns, succeed: _ => true, stop.Token);

        var objects = new[]
        {
            HookJob("migrate", "PreSync", "HookSucceeded"),
            HookJob("during", "Sync"),
            HookJob("notify", "PostSync"),
            HookJob("on-fail", "SyncFail"),
            ConfigMap("cfg"),
        };
        var result = await h.SyncAsync(null, objects);
        result.Succeeded();

        var hookLog = result.Log.Where(l => l.Message == "running hook").Select(l => l.Key!.Name).ToList();
        Assert.Equal(["migrate", "during", "notify"], hookLog);
        var created = result.Log.ToList().FindIndex(l => l.Key?.Name == "cfg" && l.Message.StartsWith("created", StringComparison.Ordinal));
        Assert.True(result.Log.ToList().FindIndex(l => l.Key?.Name == "migrate") < created, "PreSync before the apply");
        Assert.True(result.Log.ToList().FindLastIndex(l => l.Key?.Name == "notify") > created, "PostSync after the apply");
        Assert.Equal(ResourceAction.HookSucceeded, result.For("Job", "notify").Action);
        Assert.DoesNotContain(result.Resources, r => r.Key.Name == "on-fail");

        var jobs = await cluster.Client.BatchV1.ListNamespacedJobAsync(h.Ns);
        var names = jobs.Items.Select(j => j.Metadata.Name).ToList();
        Assert.DoesNotContain("migrate", names); // HookSucceeded: deleted after success
        Assert.Contains("notify", names);        // BeforeHookCreation (default): kept until the next run
        var firstUid = jobs.Items.Single(j => j.Metadata.Name == "notify").Metadata.Uid;

        // Hooks are not part of the app's resources: a compare is in sync and nothing is extraneous.
        Assert.True((await h.CompareAsync(null, objects)).InSync);

        (await h.SyncAsync(null, objects)).Succeeded();
        var again = await cluster.Client.BatchV1.ReadNamespacedJobAsync("notify", h.Ns);
        Assert.NotEqual(firstUid, again.Metadata.Uid); // recreated

        await stop.CancelAsync();
        await kubelet;
    }

    [Fact]
    public async Task Failed_presync_hook_stops_the_sync_and_runs_sync_fail_hooks()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "hookfail");
        using var stop = new CancellationTokenSource();
        var kubelet = CompleteJobsAsync(h.Ns, succeed: name => name != "migrate", stop.Token);

        var result = await h.SyncAsync(null,
            HookJob("migrate", "PreSync", "HookFailed"), HookJob("on-fail", "SyncFail"), ConfigMap("cfg"));

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Equal(ResourceAction.HookFailed, result.For("Job", "migrate").Action);
        Assert.Equal(ResourceAction.HookSucceeded, result.For("Job", "on-fail").Action);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(h.Ns, labelSelector: Marks.AppLabel)).Items);
        var names = (await cluster.Client.BatchV1.ListNamespacedJobAsync(h.Ns)).Items.Select(j => j.Metadata.Name).ToList();
        Assert.DoesNotContain("migrate", names); // HookFailed: deleted after failure

        await stop.CancelAsync();
        await kubelet;
    }

    [Fact]
    public async Task Hook_with_generate_name_is_created_fresh_each_run()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "hookgen");
        using var stop = new CancellationTokenSource();
        var kubelet = CompleteJobsAsync(h.Ns, succeed: _ => true, stop.Token);
        JsonObject Generated()
        {
            var job = HookJob("unused", "PreSync");
            var meta = job["metadata"]!.AsObject();
            meta.Remove("name");
            meta["generateName"] = "migrate-";
            return job;
        }

        var first = await h.SyncAsync(null, Generated(), ConfigMap("cfg"));
        first.Succeeded();
        var second = await h.SyncAsync(null, Generated(), ConfigMap("cfg"));
        second.Succeeded();

        var names = (await cluster.Client.BatchV1.ListNamespacedJobAsync(h.Ns)).Items.Select(j => j.Metadata.Name).ToList();
        Assert.Equal(2, names.Count(n => n.StartsWith("migrate-", StringComparison.Ordinal)));
        Assert.Contains(first.Resources, r => r.Action == ResourceAction.HookSucceeded && r.Key.Name.StartsWith("migrate-", StringComparison.Ordinal)
            && r.Key.Name.Length > "migrate-".Length);

        await stop.CancelAsync();
        await kubelet;
    }

    [Fact]
    public async Task A_hook_named_like_someone_elses_job_is_not_run_and_nothing_is_applied()
    {
        await using var h = await EngineHarness.StartAsync(cluster, "hookforeign");
        var theirs = await cluster.Client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "migrate" },
            Spec = new V1JobSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "theirs", Image = "busybox" }] },
                },
            },
        }, h.Ns);

        var result = await h.SyncAsync(null, HookJob("migrate", "PreSync"), ConfigMap("cfg"));

        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Equal(ResourceAction.Failed, result.For("Job", "migrate").Action);
        Assert.Contains("adoption required: hook", result.For("Job", "migrate").Message, StringComparison.Ordinal);
        Assert.Empty((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(h.Ns, labelSelector: Marks.AppLabel)).Items);
        var still = await cluster.Client.BatchV1.ReadNamespacedJobAsync("migrate", h.Ns);
        Assert.Equal(theirs.Metadata.Uid, still.Metadata.Uid); // not deleted and recreated
        Assert.Equal("theirs", still.Spec.Template.Spec.Containers[0].Name);
    }

    /// <summary>Plays the kubelet for Jobs: marks each new Job complete (or failed).</summary>
    private async Task CompleteJobsAsync(string ns, Func<string, bool> succeed, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var job in (await cluster.Client.BatchV1.ListNamespacedJobAsync(ns, cancellationToken: ct)).Items)
                {
                    // Re-checked every round: a patch that failed or was overwritten is simply made again.
                    if (job.Metadata.DeletionTimestamp is not null
                        || job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true)
                    {
                        continue;
                    }

                    var ok = succeed(job.Metadata.Name);
                    var status = ok
                        ? """{"status":{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}}"""
                        : """{"status":{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"test failure"}]}}""";
                    await cluster.Client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch),
                        job.Metadata.Name, ns, cancellationToken: ct);
                }

                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                // Raced with a deletion: look again.
            }
        }
    }
}
