using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GitOps.Primitives;

namespace GitOps.Controller.Notifications;

/// <summary>The kinds of incoming webhook a sink speaks.</summary>
internal enum SinkType
{
    Webhook,
    Slack,
    Teams,
    Mattermost,
}

/// <summary>A sink ready to use. The URL's path and query often are the secret (Slack, Teams, Mattermost), so only
/// <see cref="Display"/> (scheme, host, port) is ever logged.</summary>
internal sealed record Sink(string Name, SinkType Type, Uri Url, byte[]? SigningKey, string? Channel, string? Template)
{
    public string Display => Url.GetLeftPart(UriPartial.Authority);

    public override string ToString() => $"{Name} ({Type}, {Display})";
}

/// <summary>Sends the listed triggers of every app whose labels match (all of <see cref="Selector"/>) to the sinks.</summary>
internal sealed record LabelSubscription(IReadOnlyDictionary<string, string> Selector, IReadOnlyList<NotificationTrigger> Triggers,
    IReadOnlyList<string> Sinks);

/// <summary>The `--notifications FILE` configuration (docs/notifications.md), validated and with secrets resolved.</summary>
internal sealed record NotificationsConfig(
    IReadOnlyList<Sink> Sinks,
    IReadOnlyDictionary<string, string> Templates,
    IReadOnlyDictionary<NotificationTrigger, string> TriggerTemplates,
    IReadOnlyList<LabelSubscription> Subscriptions)
{
    public TimeSpan DedupeWindow { get; init; } = TimeSpan.FromMinutes(10);
    public int QueueCapacity { get; init; } = 1000;
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public int Workers { get; init; } = 4;

    public Sink? FindSink(string name) => Sinks.FirstOrDefault(s => s.Name == name);

    /// <summary>Reads and validates the file; errors name the file and the field, never a URL or secret.</summary>
    public static NotificationsConfig Load(string path, Func<string, string?>? environment = null)
    {
        var documents = SimpleYaml.ReadDocuments(File.ReadAllText(path), path).ToList();
        if (documents.Count != 1)
        {
            throw new InvalidDataException($"{path}: expected one YAML document, found {documents.Count}");
        }

        FileModel model;
        try
        {
            model = documents[0].Document.Deserialize<FileModel>(Json) ?? new FileModel();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{documents[0].Line}: invalid notifications config at {e.Path}: {e.Message}", e);
        }

        return FromModel(model, path, Path.GetDirectoryName(Path.GetFullPath(path))!, environment ?? Environment.GetEnvironmentVariable);
    }

    private static NotificationsConfig FromModel(FileModel model, string origin, string directory, Func<string, string?> env)
    {
        var sinks = new List<Sink>();
        foreach (var (s, i) in model.Sinks.Select((s, i) => (s, i)))
        {
            var where = $"{origin}: sinks[{i}]";
            if (string.IsNullOrWhiteSpace(s.Name) || sinks.Any(x => x.Name == s.Name))
            {
                throw new InvalidDataException($"{where}: name is required and must be unique");
            }

            where = $"{origin}: sink '{s.Name}'";
            if (!Enum.TryParse<SinkType>(s.Type, ignoreCase: true, out var type))
            {
                throw new InvalidDataException($"{where}: type must be webhook, slack, teams or mattermost");
            }

            if ((s.Url is null) == (s.UrlFrom is null))
            {
                throw new InvalidDataException($"{where}: give exactly one of url and urlFrom");
            }

            var url = s.Url ?? Resolve(s.UrlFrom!, $"{where}: urlFrom", directory, env);
            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                // Never echo the value: it may be the secret.
                throw new InvalidDataException($"{where}: the URL is not an absolute http(s) URL");
            }

            var key = s.SecretFrom is null ? null : System.Text.Encoding.UTF8.GetBytes(Resolve(s.SecretFrom, $"{where}: secretFrom", directory, env).Trim());
            if (s.Template is not null && !model.Templates.ContainsKey(s.Template))
            {
                throw new InvalidDataException($"{where}: template '{s.Template}' is not defined under templates");
            }

            sinks.Add(new Sink(s.Name, type, uri, key, s.Channel, s.Template));
        }

        var triggerTemplates = new Dictionary<NotificationTrigger, string>();
        foreach (var (name, template) in model.Triggers)
        {
            var trigger = NotificationTriggers.Parse(name) ?? throw new InvalidDataException(
                $"{origin}: triggers: unknown trigger '{name}' ({string.Join(", ", NotificationTriggers.All.Select(t => t.Name()))})");
            triggerTemplates[trigger] = model.Templates.ContainsKey(template) ? template
                : throw new InvalidDataException($"{origin}: triggers.{name}: template '{template}' is not defined under templates");
        }

        var subscriptions = model.Subscriptions.Select((s, i) => new LabelSubscription(
            s.Selector,
            s.Triggers.Count == 0 ? [.. NotificationTriggers.All] : s.Triggers.Select(t => NotificationTriggers.Parse(t)
                ?? throw new InvalidDataException($"{origin}: subscriptions[{i}]: unknown trigger '{t}'")).ToList(),
            s.Sinks.Select(n => sinks.Any(x => x.Name == n) ? n
                : throw new InvalidDataException($"{origin}: subscriptions[{i}]: unknown sink '{n}'")).ToList())).ToList();

        return new NotificationsConfig(sinks, model.Templates, triggerTemplates, subscriptions)
        {
            DedupeWindow = Duration(model.DedupeWindow, "dedupeWindow", origin) ?? TimeSpan.FromMinutes(10),
            RetryBase = Duration(model.RetryBase, "retryBase", origin) ?? TimeSpan.FromSeconds(1),
            RetryMax = Duration(model.RetryMax, "retryMax", origin) ?? TimeSpan.FromSeconds(30),
            Timeout = Duration(model.Timeout, "timeout", origin) ?? TimeSpan.FromSeconds(10),
            MaxAttempts = model.MaxAttempts is >= 1 and <= 20 ? model.MaxAttempts
                : throw new InvalidDataException($"{origin}: maxAttempts must be between 1 and 20"),
            QueueCapacity = model.QueueCapacity is >= 1 ? model.QueueCapacity
                : throw new InvalidDataException($"{origin}: queueCapacity must be positive"),
        };
    }

    private static string Resolve(ValueFrom from, string where, string directory, Func<string, string?> env)
    {
        if ((from.Env is null) == (from.File is null))
        {
            throw new InvalidDataException($"{where}: give exactly one of env and file");
        }

        if (from.Env is not null)
        {
            return env(from.Env) is { Length: > 0 } value ? value
                : throw new InvalidDataException($"{where}: environment variable {from.Env} is not set");
        }

        var file = Path.Combine(directory, from.File!);
        return File.Exists(file) ? File.ReadAllText(file).Trim()
            : throw new InvalidDataException($"{where}: file {file} does not exist");
    }

    private static TimeSpan? Duration(string? text, string field, string origin) =>
        text is null ? null
        : GoDuration.TryParseTimeSpan(text, out var value) && value > TimeSpan.Zero ? value
        : throw new InvalidDataException($"{origin}: {field} '{text}' is not a duration (e.g. 10s, 5m)");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private sealed record FileModel
    {
        public List<SinkModel> Sinks { get; init; } = [];
        public Dictionary<string, string> Templates { get; init; } = [];
        public Dictionary<string, string> Triggers { get; init; } = [];
        public List<SubscriptionModel> Subscriptions { get; init; } = [];
        public string? DedupeWindow { get; init; }
        public string? RetryBase { get; init; }
        public string? RetryMax { get; init; }
        public string? Timeout { get; init; }
        public int MaxAttempts { get; init; } = 5;
        public int QueueCapacity { get; init; } = 1000;
    }

    private sealed record SinkModel
    {
        public string Name { get; init; } = "";
        public string Type { get; init; } = "webhook";
        public string? Url { get; init; }
        public ValueFrom? UrlFrom { get; init; }
        public ValueFrom? SecretFrom { get; init; }
        public string? Channel { get; init; }
        public string? Template { get; init; }
    }

    private sealed record ValueFrom(string? Env = null, string? File = null);

    private sealed record SubscriptionModel
    {
        public Dictionary<string, string> Selector { get; init; } = [];
        public List<string> Triggers { get; init; } = [];
        public List<string> Sinks { get; init; } = [];
    }
}
