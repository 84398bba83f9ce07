using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Controller.State;

/// <summary>One JSON file per app in a directory, written atomically (temp file + rename), so a restart
/// loses no status or history. Reads are served from memory after the first load.</summary>
internal sealed class LocalStateStore(string directory) : IStateStore
{
    private readonly JsonFileStore<AppStatus> files = new(directory, CreateJson(), "application");

    public Task<AppStatus> GetAsync(string app, CancellationToken cancellationToken) => files.GetAsync(app, cancellationToken);

    public Task SaveAsync(string app, AppStatus status, CancellationToken cancellationToken) => files.SaveAsync(app, status, cancellationToken);

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
