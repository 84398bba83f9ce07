using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOps.Applications;

/// <summary>The Application and Project schema as compile-time JSON metadata: the shipped CLI is Native AOT, where
/// reflection-based (de)serialisation is unavailable. The options are the ones the spec has always been read with.
/// Properties with a default are <c>{ get; set; } = default</c>, not <c>init</c>: generated code sets init-only
/// properties in the object initialiser and so replaces every default of a field the document leaves out with null
/// (a missing <c>syncOptions</c> became null and crashed reconciles). ApplicationDefaultsTests guards this.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Application))]
[JsonSerializable(typeof(ApplicationSpec))]
[JsonSerializable(typeof(ProjectSpec))]
internal sealed partial class ApplicationsJsonContext : JsonSerializerContext;
