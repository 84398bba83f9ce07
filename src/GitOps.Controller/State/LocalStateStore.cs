using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Controller.State;

/// <summary>One JSON file per app in a directory, written atomically (temp file + rename), so a restart
/// loses no status or history. Reads are served from memory after the first load. A pass that changes nothing
/// but <c>reconciledAt</c> is written at most every <see cref="StatusWrites.ReconciledAtRefresh"/> (as the CRD
/// store does): a steady state costs no file writes, and a restart sees a reconciledAt at most that old.</summary>
internal sealed class LocalStateStore(string directory, TimeProvider clock) : IStateStore
{
    private static readonly JsonSerializerOptions Json = CreateJson();
    private readonly ConcurrentDictionary<string, AppStatus> cache = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> writtenAt = new();

    public async Task<AppStatus> GetAsync(string app, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(app, out var cached))
        {
            return cached;
        }

        var path = PathOf(app);
        AppStatus status = new();
        if (File.Exists(path))
        {
            await using var stream = File.OpenRead(path);
            status = await JsonSerializer.DeserializeAsync<AppStatus>(stream, Json, cancellationToken) ?? new AppStatus();
        }

        return cache.GetOrAdd(app, status);
    }

    public async Task SaveAsync(string app, AppStatus status, CancellationToken cancellationToken)
    {
        var path = PathOf(app);
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(app, out var before) && status.SameApartFromReconciledAt(before)
            && writtenAt.TryGetValue(app, out var at) && now - at < StatusWrites.ReconciledAtRefresh)
        {
            cache[app] = status;
            return;
        }

        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, status, Json, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        cache[app] = status;
        writtenAt[app] = now;
    }

    // App names are validated DNS labels; refuse anything else rather than build a path from it.
    private string PathOf(string app) =>
        app.Length > 0 && app.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? Path.Combine(directory, app + ".json")
            : throw new ArgumentException($"invalid application name '{app}'", nameof(app));

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
