using GitOps.Rendering.Helm.Chart;
using GitOps.Templating;
using GitOps.Templating.Serialization;

namespace GitOps.Rendering.Helm.Tests;

/// <summary>--set / --set-string parsing, compared as JSON of the resulting values.</summary>
public sealed class StrValsTests
{
    [Theory]
    [InlineData("name=value", false, "{\"name\":\"value\"}")]
    [InlineData("a.b.c=1", false, "{\"a\":{\"b\":{\"c\":1}}}")]
    [InlineData("a=1,b=2", false, "{\"a\":1,\"b\":2}")]
    [InlineData("a=true,b=FALSE,c=null", false, "{\"a\":true,\"b\":false,\"c\":null}")]
    [InlineData("a=0,b=007,c=1.5,d=-3", false, "{\"a\":0,\"b\":\"007\",\"c\":\"1.5\",\"d\":-3}")]
    [InlineData("a=1,b=true", true, "{\"a\":\"1\",\"b\":\"true\"}")]
    [InlineData("list={a,b,c}", false, "{\"list\":[\"a\",\"b\",\"c\"]}")]
    [InlineData("list={1,true}", false, "{\"list\":[1,true]}")]
    [InlineData("a[0]=x,a[2]=z", false, "{\"a\":[\"x\",null,\"z\"]}")]
    [InlineData("a[0].b=1,a[0].c=2", false, "{\"a\":[{\"b\":1,\"c\":2}]}")]
    [InlineData("a[0][1]=x", false, "{\"a\":[[null,\"x\"]]}")]
    [InlineData("a=x\\,y", false, "{\"a\":\"x,y\"}")]
    [InlineData("a\\.b=c", false, "{\"a.b\":\"c\"}")]
    [InlineData("a=", false, "{\"a\":\"\"}")]
    [InlineData("nodeSelector.kubernetes\\.io/role=master", false, "{\"nodeSelector\":{\"kubernetes.io/role\":\"master\"}}")]
    [InlineData("a={x,y},b=1", false, "{\"a\":[\"x\",\"y\"],\"b\":1}")]
    public void Parses_like_helm(string input, bool asString, string json)
    {
        var values = GoValues.NewMap();
        Assert.Null(StrVals.TryParseInto(input, values, asString));
        Assert.Equal(json, GoJson.Write(values));
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("a.b")]
    [InlineData("a=1,b")]
    [InlineData("a[x]=1")]
    [InlineData("a[-1]=1")]
    [InlineData("a={x,y")]
    public void Rejects_malformed_input(string input) => Assert.NotNull(StrVals.TryParseInto(input, GoValues.NewMap(), false));

    [Fact]
    public void Later_sets_override_earlier_ones_and_merge_maps()
    {
        var values = GoValues.NewMap();
        StrVals.ParseInto("a.b=1,a.c=2", values, false);
        StrVals.ParseInto("a.b=3", values, false);
        Assert.Equal("{\"a\":{\"b\":3,\"c\":2}}", GoJson.Write(values));
    }
}
