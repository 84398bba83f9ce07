using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Controller.State;

/// <summary>One JSON file per app in a directory, written atomically (temp file + rename), so a restart
/// loses no status or history. Reads are served from memory after the first load. A pass that changes nothing
/// but <c>reconciledAt</c> is written at most every <see cref="StatusWrites.ReconciledAtRefresh"/> (as the CRD
/// store does): a steady state costs no file writes, and a restart sees a reconciledAt at most that old. The same
/// holds for a pass that only moved the app to a commit that left it as it was: at 50 000 apps in one monorepo,
/// writing every app's file for each commit was a third of the next interval pass. The API serves the exact status
/// from memory; a restart sees the earlier commit until its first pass, which compares everything again.</summary>
internal sealed class LocalStateStore(string directory, TimeProvider clock, RevisionPool? revisions = null) : IStateStore
{
    private readonly JsonFileStore<AppStatus> files = new(directory, CreateJson(), "application", revisions is null ? null : revisions.Share);
    private readonly ConcurrentDictionary<string, DateTimeOffset> writtenAt = new();

    public Task<AppStatus> GetAsync(string app, CancellationToken cancellationToken) => files.GetAsync(app, cancellationToken);

    public async Task SaveAsync(string app, AppStatus status, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (writtenAt.TryGetValue(app, out var at) && now - at < StatusWrites.ReconciledAtRefresh
            && status.SameApartFromRevisionAndReconciledAt(await files.GetAsync(app, cancellationToken)))
        {
            files.Remember(app, status);
            return;
        }

        await files.SaveAsync(app, status, cancellationToken);
        writtenAt[app] = now;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
