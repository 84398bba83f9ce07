using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Applications;

/// <summary>The Application and Project schema as compile-time JSON metadata: the shipped CLI is Native AOT, where
/// reflection-based (de)serialisation is unavailable. The options are the ones the spec has always been read with.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(ApplicationSpec))]
[JsonSerializable(typeof(ProjectSpec))]
internal sealed partial class ApplicationsJsonContext : JsonSerializerContext;
