using GitOps.Controller.Api;

namespace GitOps.Controller.Tests.Promotion;

/// <summary>The approver role from the tokens file: it approves only its pipelines; admins approve any;
/// read-only tokens none. (Which RPCs each role may call is RpcMethodsTests' and the story tests' business.)</summary>
public sealed class ApproverRoleTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"tokens-{Guid.NewGuid():N}.yaml");

    public void Dispose() => File.Delete(file);

    [Fact]
    public void Approvers_approve_their_pipelines_only()
    {
        File.WriteAllText(file, """
            tokens:
              - {name: alice, token: a-token, role: approver, pipelines: [sample]}
              - {name: any, token: b-token, role: approver}
              - {name: ops, token: c-token, role: admin}
              - {name: viewer, token: d-token, role: read-only}
            """);
        var tokens = TokenRegistry.Load(file);

        var alice = tokens.Find("a-token")!;
        Assert.Equal((ApiRole.Approver, "alice"), (alice.Role, alice.Subject));
        Assert.True(alice.CanApprove("sample"));
        Assert.False(alice.CanApprove("other"));
        Assert.True(tokens.Find("b-token")!.CanApprove("other"));
        Assert.True(tokens.Find("c-token")!.CanApprove("other"));
        Assert.False(tokens.Find("d-token")!.CanApprove("sample"));
    }

    [Fact]
    public void An_unknown_role_names_the_choices()
    {
        File.WriteAllText(file, "tokens:\n  - {token: x, role: approve}\n");

        var e = Assert.Throws<InvalidDataException>(() => TokenRegistry.Load(file));

        Assert.Contains("unknown role 'approve' (admin, read-only, approver)", e.Message, StringComparison.Ordinal);
    }
}
