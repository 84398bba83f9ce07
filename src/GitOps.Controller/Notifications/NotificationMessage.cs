using GitOps.Controller.State;
using GitOps.Templating;
using GitOps.Templating.Functions;

namespace GitOps.Controller.Notifications;

/// <summary>One notification's facts, before a sink formats it.</summary>
internal sealed record NotificationEvent(string App, NotificationTrigger Trigger, AppEvent Event, string? Revision,
    string? RevisionSubject, string Sync, string Health, DateTimeOffset At, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The template data: `.app`, `.trigger`, `.reason`, `.type`, `.message`, `.revision`, `.revisionShort`,
    /// `.revisionSubject`, `.sync`, `.health`, `.time` (RFC 3339) and `.labels`.</summary>
    public Dictionary<string, object?> ToTemplateData()
    {
        var data = GoValues.NewMap();
        data["app"] = App;
        data["trigger"] = Trigger.Name();
        data["reason"] = Event.Reason;
        data["type"] = Event.Type;
        data["message"] = Event.Message;
        data["revision"] = Revision ?? "";
        data["revisionShort"] = Revision is { Length: > 7 } r ? r[..7] : Revision ?? "";
        data["revisionSubject"] = RevisionSubject ?? "";
        data["sync"] = Sync;
        data["health"] = Health;
        data["time"] = At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var labels = GoValues.NewMap();
        foreach (var (k, v) in Labels)
        {
            labels[k] = v;
        }

        data["labels"] = labels;
        return data;
    }
}

/// <summary>The message text of an event: the sink's template, else the trigger's, else a default line. Go
/// templates with the Sprig/Helm functions (GitOps.Templating), parsed once when the config is loaded.</summary>
internal sealed class MessageTemplates
{
    public const string DefaultTemplate = "{{.app}}: {{.message}}{{if .revision}} (revision {{.revisionShort}}){{end}}";
    private const string DefaultName = "__default";
    private readonly TemplateSet set = new(FunctionLibrary.Create());
    private readonly NotificationsConfig config;

    public MessageTemplates(NotificationsConfig config, string origin)
    {
        this.config = config;
        try
        {
            set.Parse(DefaultName, DefaultTemplate);
            foreach (var (name, text) in config.Templates)
            {
                set.Parse(name, text);
            }
        }
        catch (TemplateException e)
        {
            throw new InvalidDataException($"{origin}: templates: {e.Message}", e);
        }
    }

    public string Render(NotificationEvent e, Sink sink)
    {
        var name = sink.Template ?? config.TriggerTemplates.GetValueOrDefault(e.Trigger) ?? DefaultName;
        return set.Execute(name, e.ToTemplateData(), new ExecutionLimits(MaxOutputChars: 64 * 1024, Timeout: TimeSpan.FromSeconds(2))).Trim();
    }
}
