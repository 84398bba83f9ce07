namespace GitOps.Api;

/// <summary>The contract version served and spoken (proto package gitops.v1).</summary>
public static class ApiVersion
{
    public const string Package = "gitops.v1";
}
