using System.Text;
using System.Text.Json.Nodes;
using GitOps.Engine.Cache;
using GitOps.Engine.Cluster;
using GitOps.Engine.Tests.Support;

namespace GitOps.Engine.Tests.Unit;

/// <summary>The owned-fields hash behind a remembered "in sync": it moves when a value our manager applied changes
/// or when what it owns changes, and stays put when only another manager's fields or unowned values change.</summary>
public sealed class OwnedHashTests
{
    private const string Manager = "gitops";

    private static LiveObject Live(string data, string ownedFields, string otherFields = """{"f:data":{"f:b":{}}}""")
    {
        var json = $$"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns","resourceVersion":"1","managedFields":[
              {"manager":"{{Manager}}","operation":"Apply","fieldsV1":{{ownedFields}}},
              {"manager":"kubectl","operation":"Update","fieldsV1":{{otherFields}}}]},
             "data":{{data}}}
            """;
        var obj = JsonNode.Parse(json)!.AsObject();
        // As a write's answer arrives: the parsed object with its bytes (hashed from the bytes when asked).
        return new LiveObject(Informers.ConfigMaps, new ApiObject(obj, Encoding.UTF8.GetBytes(json)), assessHealth: true);
    }

    [Fact]
    public void Unchanged_owned_values_hash_alike_whatever_else_changes()
    {
        var owned = """{"f:data":{"f:a":{}}}""";
        var before = Live("""{"a":"1","b":"2"}""", owned);
        var otherValue = Live("""{"a":"1","b":"3"}""", owned);
        var otherOwner = Live("""{"a":"1","b":"2","c":"4"}""", owned, """{"f:data":{"f:b":{},"f:c":{}}}""");
        Assert.NotNull(before.OwnedHash(Manager));
        Assert.Equal(before.OwnedHash(Manager), otherValue.OwnedHash(Manager));
        Assert.Equal(before.OwnedHash(Manager), otherOwner.OwnedHash(Manager));
    }

    [Fact]
    public void An_owned_value_or_the_owned_set_changing_moves_the_hash()
    {
        var before = Live("""{"a":"1","b":"2"}""", """{"f:data":{"f:a":{}}}""");
        var valueChanged = Live("""{"a":"9","b":"2"}""", """{"f:data":{"f:a":{}}}""");
        var setChanged = Live("""{"a":"1","b":"2"}""", """{"f:data":{"f:a":{},"f:b":{}}}""");
        Assert.NotEqual(before.OwnedHash(Manager), valueChanged.OwnedHash(Manager));
        Assert.NotEqual(before.OwnedHash(Manager), setChanged.OwnedHash(Manager));
    }

    [Fact]
    public void Hashed_from_the_answer_or_from_a_tree_alike()
    {
        var json = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns","managedFields":[
              {"manager":"gitops","operation":"Apply","fieldsV1":{"f:data":{"f:z":{},"f:a":{}}}}]},"data":{"a":"1","z":"2"}}
            """;
        var answer = new LiveObject(Informers.ConfigMaps, new ApiObject(JsonNode.Parse(json)!.AsObject(), Encoding.UTF8.GetBytes(json)), assessHealth: true);
        var later = new LiveObject(Informers.ConfigMaps, JsonNode.Parse(json)!.AsObject());
        Assert.Equal(answer.OwnedHash(Manager), later.OwnedHash(Manager));
        Assert.Null(later.OwnedHash("nobody"));
    }
}
