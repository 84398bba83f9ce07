namespace GitOps.Engine;

/// <summary>Constants of the cluster engine (diff, sync, health).</summary>
public static class EngineAssembly
{
    public const string FieldManager = "gitops-controller";
}
