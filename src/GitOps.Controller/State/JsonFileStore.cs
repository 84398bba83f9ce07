using System.Collections.Concurrent;
using System.Text.Json;

namespace GitOps.Controller.State;

/// <summary>One JSON file per name in a directory, written atomically (temp file + rename), so a restart loses
/// nothing; reads are served from memory after the first load. Backs the local app status store and the local
/// pipeline status store. <paramref name="loaded"/>, when given, turns what a file held into what is kept.</summary>
internal sealed class JsonFileStore<T>(string directory, JsonSerializerOptions json, string what, Func<T, T>? loaded = null)
    where T : class, new()
{
    private readonly ConcurrentDictionary<string, T> cache = new();

    public async Task<T> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var path = PathOf(name);
        var value = new T();
        if (File.Exists(path))
        {
            await using var stream = File.OpenRead(path);
            value = await JsonSerializer.DeserializeAsync<T>(stream, json, cancellationToken) ?? new T();
            value = loaded?.Invoke(value) ?? value;
        }

        return cache.GetOrAdd(name, value);
    }

    public async Task SaveAsync(string name, T value, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(name);
        var temp = path + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, value, json, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        cache[name] = value;
    }

    /// <summary>Serves <paramref name="value"/> from memory without writing it (a change not worth a write yet).</summary>
    public void Remember(string name, T value) => cache[name] = value;

    // Names are validated DNS labels; refuse anything else rather than build a path from it.
    private string PathOf(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? Path.Combine(directory, name + ".json")
            : throw new ArgumentException($"invalid {what} name '{name}'", nameof(name));
}
