namespace GitOps.Engine;

/// <summary>Marker for the cluster engine (diff, sync, health). The engine lands under issue 6.</summary>
public static class EngineAssembly
{
    public const string FieldManager = "gitops-controller";
}
