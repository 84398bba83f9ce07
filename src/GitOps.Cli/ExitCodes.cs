namespace GitOps.Cli;

/// <summary>argocd's convention: 0 ok, 1 differences or an unmet wait condition, 2+ errors.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Differences = 1;
    public const int Error = 2;
    public const int Usage = 3;
}
