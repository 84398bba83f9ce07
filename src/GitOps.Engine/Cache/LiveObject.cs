using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Cluster;
using GitOps.Engine.Diff;
using GitOps.Engine.Health;
using GitOps.Engine.Tracking;

namespace GitOps.Engine.Cache;

/// <summary>
/// A live object as the cache holds it: its JSON as compact UTF-8 (a parsed node tree costs several times
/// more memory, and tens of thousands of them are cached) plus the few facts every pass reads. Immutable:
/// <see cref="ToJson"/> hands out a fresh tree, so no caller can change what another sees, and no two
/// threads ever share a lazily-materialised JsonObject.
/// </summary>
internal sealed class LiveObject
{
    private readonly byte[] json;
    private ResourceHealth? health;
    private OwnedMemo? owned;

    public LiveObject(ResourceType type, JsonObject obj)
        : this(type, obj, JsonSerializer.SerializeToUtf8Bytes(obj), false)
    {
    }

    /// <summary>An object as the server sent it: its bytes are kept as they came instead of serialising the tree again.</summary>
    /// <param name="assessHealth">Assess its health now, from the parsed answer (a write's answer: the sync reports it at
    /// once, and this spares parsing it back).</param>
    public LiveObject(ResourceType type, ApiObject answer, bool assessHealth = false)
        : this(type, answer.Object, answer.Json, assessHealth)
    {
    }

    private LiveObject(ResourceType type, JsonObject obj, byte[] json, bool assessHealth)
    {
        Type = type;
        if (assessHealth)
        {
            health = HealthAssessor.Assess(obj);
        }

        this.json = json;
        var key = Tracker.KeyOf(obj);
        Key = key with { Group = type.Group, Kind = type.Kind, Namespace = type.Namespaced ? key.Namespace : null };
        ResourceVersion = Obj.Str(obj, "metadata", "resourceVersion");
        AppLabel = Obj.Str(obj, "metadata", "labels", Marks.AppLabel);
        // Almost always the label's app: one string for both (tens of thousands of objects are cached).
        var tracked = Tracker.TrackedApp(obj, Key);
        TrackedApp = tracked == AppLabel ? AppLabel : tracked;
        InstallationId = Tracker.InstallationOf(obj);
        IsHook = Obj.Annotation(obj, Marks.Hook) is not null;
        PruneDisabled = Tracker.PruneDisabled(obj);
        Terminating = Obj.Str(obj, "metadata", "deletionTimestamp") is not null;
        Wave = int.TryParse(Obj.Annotation(obj, Marks.SyncWave), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) ? w : 0;
    }

    public ResourceType Type { get; }

    public ResourceKey Key { get; private set; }

    public string? ResourceVersion { get; }

    /// <summary>The app label: a cheap pre-filter only (controllers copy labels to children).</summary>
    public string? AppLabel { get; private set; }

    /// <summary>The app whose tracking mark names this very object, or null; ownership also needs the installation
    /// (<see cref="OwnerApp"/>).</summary>
    public string? TrackedApp { get; private set; }

    /// <summary>The installation that stamped the object (its installation-id annotation), or null.</summary>
    public string? InstallationId { get; private set; }

    /// <summary>The app that owns the object for an engine of installation <paramref name="installationId"/>
    /// (null: none configured): the tracked app, unless another installation stamped it.</summary>
    public string? OwnerApp(string? installationId) =>
        Installation.MayOwn(InstallationId, installationId) ? TrackedApp : null;

    /// <summary>The other installation that stamped the object, or null when it may be ours.</summary>
    public string? ForeignInstallation(string? installationId) =>
        Installation.MayOwn(InstallationId, installationId) ? null : InstallationId;

    public bool IsHook { get; }

    public bool PruneDisabled { get; }

    /// <summary>Deletion has started (finalizers or foreground propagation still pending).</summary>
    public bool Terminating { get; }

    public int Wave { get; }

    /// <summary>Takes the key and app names of the version this one replaces where they are equal, before the cache
    /// publishes it: the cache's tables stay keyed by the first version's strings, and every version read from a
    /// watch event would otherwise keep copies of its own (tens of thousands of objects are cached).</summary>
    internal void ShareIdentityWith(LiveObject previous)
    {
        Key = previous.Key == Key ? previous.Key : Key;
        var sameOwner = TrackedApp == AppLabel;
        AppLabel = previous.AppLabel == AppLabel ? previous.AppLabel : AppLabel;
        TrackedApp = sameOwner ? AppLabel : previous.TrackedApp == TrackedApp ? previous.TrackedApp : TrackedApp;
        InstallationId = previous.InstallationId == InstallationId ? previous.InstallationId : InstallationId;
    }

    /// <summary>A fresh, caller-owned tree of the object.</summary>
    public JsonObject ToJson() => JsonNode.Parse(json)!.AsObject();

    /// <summary>Health depends only on the object's content, which never changes: assessed once.</summary>
    public ResourceHealth Health => health ??= HealthAssessor.Assess(ToJson());

    /// <summary>A hash of the fields a manager owns by Apply and their values (null when it owns none),
    /// computed once per object version, when first asked for (most versions never are: see the comparer's verdicts).</summary>
    public UInt128? OwnedHash(string fieldManager)
    {
        var memo = owned;
        if (memo is null || memo.Manager != fieldManager)
        {
            memo = OwnedMemoOf(ToJson(), fieldManager);
            owned = memo;
        }

        return memo.Hash;
    }

    private static OwnedMemo OwnedMemoOf(JsonObject obj, string fieldManager)
    {
        if (FieldSet.Owned(obj, fieldManager, "Apply") is not { } set)
        {
            return new OwnedMemo(fieldManager, null);
        }

        // The set itself (what is owned), then each owned leaf's path and value.
        return new OwnedMemo(fieldManager, Hash128(writer =>
        {
            set.WriteTo(writer);
            FieldSet.Project(writer, obj, set);
        }));
    }

    /// <summary>The first 128 bits of the SHA-256 of one JSON array holding what <paramref name="write"/> writes
    /// (straight into one buffer, no text in between): collision-safe for telling versions apart, and a value
    /// instead of a 64-character string.</summary>
    internal static UInt128 Hash128(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            write(writer);
            writer.WriteEndArray();
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, digest);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private sealed record OwnedMemo(string Manager, UInt128? Hash);
}
