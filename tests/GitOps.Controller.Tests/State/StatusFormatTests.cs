using System.Text.Json.Nodes;
using GitOps.Controller.State;
using GitOps.Engine;

namespace GitOps.Controller.Tests.State;

/// <summary>The typed status keeps the persisted spellings: status written by earlier versions (CRD status,
/// --state-dir files) still reads, and what is written reads the same to people and tools.</summary>
public sealed class StatusFormatTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "gitops-status-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_state_file_of_an_earlier_version_reads()
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "old.json"), """
            {
              "sync": "OutOfSync", "health": "Degraded", "paused": false,
              "resources": [{ "group": "", "version": "v1", "kind": "ConfigMap", "namespace": "demo", "name": "a",
                              "status": "OutOfSync", "health": "Missing", "message": "", "missing": true, "extraneous": false }],
              "operation": { "phase": "Failed", "message": "one failed", "initiatedBy": "webhook",
                             "startedAt": "2026-01-01T00:00:00+00:00", "finishedAt": "2026-01-01T00:00:01+00:00",
                             "results": [{ "group": "", "kind": "ConfigMap", "namespace": "demo", "name": "b", "result": "pruneskipped", "message": "" },
                                         { "group": "", "kind": "Job", "namespace": "demo", "name": "h", "result": "hooksucceeded", "message": "" },
                                         { "group": "", "kind": "ConfigMap", "namespace": "demo", "name": "c", "result": "prune-skipped", "message": "dry run" }] },
              "history": [{ "id": 1, "revision": { "sha": "abc" }, "startedAt": "2026-01-01T00:00:00+00:00",
                            "finishedAt": "2026-01-01T00:00:01+00:00", "result": "Succeeded", "initiatedBy": "rollback", "message": "" }]
            }
            """);

        var status = await new LocalStateStore(directory, TimeProvider.System).GetAsync("old", CancellationToken.None);

        Assert.Equal((SyncState.OutOfSync, HealthState.Degraded), (status.Sync, status.Health));
        Assert.Equal(HealthState.Missing, status.Resources[0].Health);
        Assert.Equal(Initiator.Webhook, status.Operation!.InitiatedBy);
        Assert.Equal([ResourceAction.PruneSkipped, ResourceAction.HookSucceeded, ResourceAction.PruneSkipped],
            status.Operation.Results!.Select(r => r.Result));
        Assert.Equal((SyncOutcome.Succeeded, Initiator.Rollback), (status.History[0].Result, status.History[0].InitiatedBy));
    }

    [Fact]
    public void The_crd_status_spells_as_before_with_one_spelling_per_action()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var status = new AppStatus
        {
            Sync = SyncState.Synced,
            Health = HealthState.Healthy,
            Operation = new OperationState(OperationPhase.Succeeded, "ok", Initiator.Auto, at, at,
                [new ResourceSyncResult("", "ConfigMap", "demo", "b", ResourceAction.PruneSkipped)]) { Log = ["start: revision abc: 1 objects"] },
        }.AppendHistory(new HistoryEntry(1, new RevisionInfo("abc"), at, at, SyncOutcome.Succeeded, Initiator.User), 10);

        var json = CrdStateStore.Serialize(status);

        Assert.Equal(("Synced", "Healthy"), ((string?)json["sync"], (string?)json["health"]));
        var operation = json["operation"]!.AsObject();
        Assert.Equal(("Succeeded", "auto"), ((string?)operation["phase"], (string?)operation["initiatedBy"]));
        Assert.Equal("prune-skipped", (string?)operation["results"]![0]!["result"]);
        Assert.Equal("start: revision abc: 1 objects", (string?)operation["log"]![0]);
        var entry = json["history"]![0]!.AsObject();
        Assert.Equal(("Succeeded", "user"), ((string?)entry["result"], (string?)entry["initiatedBy"]));
        Assert.IsType<JsonArray>(json["resources"]);
    }

    [Fact]
    public void Every_action_has_one_spelling_that_reads_back()
    {
        foreach (var action in Enum.GetValues<ResourceAction>())
        {
            Assert.True(ResourceActions.TryParse(action.Name(), out var read));
            Assert.Equal(action, read);
            Assert.Equal(action.Name().ToLowerInvariant(), action.Name());
        }

        Assert.False(ResourceActions.TryParse("exploded", out _));
    }
}
