using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Controller.State;

/// <summary>One JSON file per app in a directory, written atomically (temp file + rename), so a restart
/// loses no status or history. Reads are served from memory after the first load.</summary>
internal sealed class LocalStateStore(string directory) : IStateStore
{
    private static readonly JsonSerializerOptions Json = CreateJson();
    private readonly ConcurrentDictionary<string, AppStatus> cache = new();

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
        Directory.CreateDirectory(directory);
        var path = PathOf(app);
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, status, Json, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        cache[app] = status;
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
