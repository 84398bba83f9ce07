using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Applications;

namespace GitOps.Controller.Tests.Applications;

/// <summary>A field a document leaves out keeps the spec's default (read through the source-generated JSON
/// metadata the Native AOT CLI needs, where init-only properties lost their defaults once).</summary>
public sealed class ApplicationDefaultsTests
{
    [Fact]
    public void Every_spec_type_read_from_an_empty_object_equals_its_default()
    {
        var options = ApplicationDocuments.JsonOptions;
        var types = typeof(ApplicationSpec).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null && options.TryGetTypeInfo(t, out _))
            .ToList();
        Assert.Contains(typeof(ApplicationSpec), types);
        Assert.Contains(typeof(ProjectSpec), types);
        Assert.True(types.Count >= 6, string.Join(", ", types.Select(t => t.Name)));
        foreach (var type in types)
        {
            var read = JsonSerializer.Deserialize("{}", type, options);
            Assert.Equal(JsonSerializer.Serialize(Activator.CreateInstance(type), type, options), JsonSerializer.Serialize(read, type, options));
        }
    }

    [Fact]
    public void A_minimal_application_gets_the_documented_defaults()
    {
        var app = ApplicationDocuments.FromObject(JsonNode.Parse("""
            {"apiVersion": "gitops.dev/v1alpha1", "kind": "Application", "metadata": {"name": "web"},
             "spec": {"source": {"repoURL": "https://example.com/repo.git"}, "destination": {"namespace": "web"},
                      "syncPolicy": {"automated": {}}}}
            """)!.AsObject(), "apps.yaml");

        Assert.Equal("default", app.Spec.Project);
        Assert.Equal("HEAD", app.Spec.Source.TargetRevision);
        Assert.Equal(".", app.Spec.Source.Path);
        Assert.NotNull(app.Spec.SyncPolicy);
        Assert.Empty(app.Spec.SyncPolicy.SyncOptions);
        Assert.Empty(app.Spec.IgnoreDifferences);
        Assert.Equal(10, app.Spec.RevisionHistoryLimit);
        Assert.Empty(app.Labels);
    }
}
