using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Engine.Diff;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace GitOps.Engine.Tests.Unit;

public sealed class DiffTests
{
    private static readonly ResourceKey Key = new("", "ConfigMap", "ns", "cm");

    private static JsonObject P(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Volatile_metadata_status_and_marks_are_ignored_and_numbers_compare_by_value()
    {
        var live = P("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","uid":"u","resourceVersion":"9","generation":3,
             "creationTimestamp":"2020-01-01T00:00:00Z","managedFields":[{"manager":"x"}],
             "annotations":{"gitops.dev/tracking-id":"a:/ConfigMap:ns/cm","gitops.dev/installation-id":"blue"},"labels":{"gitops.dev/app":"a"}},
             "status":{"x":1},"spec":{"n":1.0}}
            """);
        var desired = P("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"spec":{"n":1}}""");
        Assert.True(Differ.Compare(Key, live, desired, []).Equal);
    }

    [Fact]
    public void Secret_string_data_compares_as_base64_data()
    {
        var live = P("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"aGVsbG8="}}""");
        var desired = P("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"a":"hello"}}""");
        Assert.True(Differ.Compare(Key with { Kind = "Secret" }, live, desired, []).Equal);
    }

    [Fact]
    public void Changed_secret_value_is_masked_but_shown_as_changed()
    {
        var live = P("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"b2xk","same":"c2FtZQ=="}}""");
        var desired = P("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"a":"new-value","same":"same"}}""");
        var outcome = Differ.Compare(Key with { Kind = "Secret" }, live, desired, []);
        Assert.False(outcome.Equal);
        foreach (var leak in new[] { "b2xk", "old", "new-value", "bmV3LXZhbHVl", "c2FtZQ" })
        {
            Assert.DoesNotContain(leak, outcome.Diff, StringComparison.Ordinal);
            Assert.DoesNotContain(leak, outcome.Patch, StringComparison.Ordinal);
        }

        Assert.Contains("-  a: \"*** masked value 1 ***\"", outcome.Diff, StringComparison.Ordinal);
        Assert.Contains("+  a: \"*** masked value 3 ***\"", outcome.Diff, StringComparison.Ordinal);
        Assert.Contains("   same: \"*** masked value 2 ***\"", outcome.Diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_patch_escapes_keys_and_applies_to_live_giving_desired()
    {
        var live = P("""{"metadata":{"labels":{"app.kubernetes.io/name":"a","x~y":"1","gone":"g"}},"spec":{"list":[1,2],"other":[1]}}""");
        var desired = P("""{"metadata":{"labels":{"app.kubernetes.io/name":"b","x~y":"2","new":"n"}},"spec":{"list":[1,3],"other":[1,2]}}""");
        var patch = PatchBuilder.Build(live, desired);
        var text = patch.ToJsonString();
        Assert.Contains("/metadata/labels/app.kubernetes.io~1name", text, StringComparison.Ordinal);
        Assert.Contains("/metadata/labels/x~0y", text, StringComparison.Ordinal);

        var document = JsonSerializer.Deserialize<JsonPatchDocument>(text)!;
        var target = live.DeepClone();
        document.ApplyTo(target);
        Assert.True(JsonCompare.Equal(desired, target), target.ToJsonString());
    }

    [Fact]
    public void Unified_diff_has_headers_hunks_and_context()
    {
        var a = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line{i}")) + "\n";
        var b = a.Replace("line10\n", "line10 changed\n", StringComparison.Ordinal);
        var diff = UnifiedDiff.Create(a, b, "live/x", "desired/x");
        Assert.Equal("""
            --- live/x
            +++ desired/x
            @@ -7,7 +7,7 @@
             line7
             line8
             line9
            -line10
            +line10 changed
             line11
             line12
             line13

            """.Replace("\r", "", StringComparison.Ordinal), diff);
        Assert.Equal("", UnifiedDiff.Create(a, a, "l", "d"));
    }

    [Fact]
    public void Yaml_quotes_strings_yaml_would_retype()
    {
        var yaml = YamlText.Write(P("""{"a":"on","b":"0644","c":"plain","d":true,"e":[{"k":1},"x"],"f":{}}"""));
        Assert.Equal("a: \"on\"\nb: \"0644\"\nc: plain\nd: true\ne:\n- k: 1\n- x\nf: {}\n", yaml);
    }

    [Fact]
    public void Without_explanation_only_equality_is_decided()
    {
        var live = P("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","resourceVersion":"9"},"data":{"a":"1"}}""");
        var same = P("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}""");
        var changed = P("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"2"}}""");

        Assert.True(Differ.Compare(Key, live, same, [], explain: false).Equal);
        var unequal = Differ.Compare(Key, live, changed, [], explain: false);
        Assert.False(unequal.Equal);
        Assert.Equal(("", "[]"), (unequal.Diff, unequal.Patch));
        var missing = Differ.Compare(Key, null, changed, [], explain: false);
        Assert.False(missing.Equal);
        Assert.Equal("", missing.Diff);
        Assert.Contains("+  a: \"2\"", Differ.Compare(Key, live, changed, []).Diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignore_by_pointer_and_by_field_manager()
    {
        var live = P("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","managedFields":[
              {"manager":"hpa","operation":"Update","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},
             "spec":{"replicas":5,"template":{"spec":{"containers":[{"name":"c","image":"old"}]}}}}
            """);
        var desired = P("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"c","image":"old"}]}}}}""");
        var key = new ResourceKey("apps", "Deployment", "ns", "d");
        Assert.False(Differ.Compare(key, live, desired, []).Equal);
        Assert.True(Differ.Compare(key, live, desired, [new IgnoreDifference(JsonPointers: ["/spec/replicas"])]).Equal);
        Assert.True(Differ.Compare(key, live, desired, [new IgnoreDifference(ManagedFieldsManagers: ["hpa"])]).Equal);
        Assert.Empty(Differ.RulesFor(key, [new IgnoreDifference(Kind: "StatefulSet")]));
    }

    [Fact]
    public void Field_set_projection_follows_keyed_list_items()
    {
        var obj = P("""{"spec":{"containers":[{"name":"a","image":"i1"},{"name":"b","image":"i2"}]}}""");
        var set = P("""{"f:spec":{"f:containers":{"k:{\"name\":\"b\"}":{".":{},"f:image":{}}}}}""");
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            FieldSet.Project(writer, obj, set);
            writer.WriteEndArray();
        }

        var written = JsonNode.Parse(buffer.WrittenSpan)!.AsArray();
        Assert.Equal(2, written.Count);
        Assert.Equal("/spec/containers/k:{\"name\":\"b\"}/image", (string?)written[0]);
        Assert.Equal("i2", (string?)written[1]);
    }

    [Fact]
    public void Owned_fields_of_one_entry_are_the_entry_itself_and_of_several_a_merge()
    {
        var obj = P("""
            {"metadata":{"managedFields":[
              {"manager":"m","operation":"Apply","fieldsV1":{"f:data":{"f:a":{}}}},
              {"manager":"other","operation":"Apply","fieldsV1":{"f:data":{"f:c":{}}}},
              {"manager":"m","operation":"Update","fieldsV1":{"f:data":{"f:b":{}}}}]},
             "data":{"a":"1","b":"2","c":"3"}}
            """);
        var applied = FieldSet.Owned(obj, "m", "Apply")!;
        Assert.Same(obj["metadata"]!["managedFields"]![0]!["fieldsV1"], applied);
        var all = FieldSet.Owned(obj, "m")!;
        Assert.Equal("""{"f:data":{"f:a":{},"f:b":{}}}""", all.ToJsonString());
        Assert.Null(FieldSet.Owned(obj, "nobody"));
    }

    [Fact]
    public void Scrub_removes_secret_values_from_messages()
    {
        var secret = P("""{"apiVersion":"v1","kind":"Secret","stringData":{"p":"hunter22"}}""");
        Assert.Equal("bad value *** and ***", SecretMasker.Scrub("bad value hunter22 and aHVudGVyMjI=", secret));
    }
}
