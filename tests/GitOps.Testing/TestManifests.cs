namespace GitOps.Testing;

/// <summary>The YAML the controller-process tests write: Application documents for an apps file, and the ConfigMap
/// whose one value a test commits again and again to make a new revision.</summary>
public static class TestManifests
{
    /// <summary>An automated Application (prune; self-heal unless told otherwise).</summary>
    public static string Application(string name, string repoUrl, string revision, string path, string ns, bool selfHeal = true) => $"""
        apiVersion: gitops.dev/v1alpha1
        kind: Application
        metadata:
          name: {name}
        spec:
          source:
            repoURL: {repoUrl}
            targetRevision: {revision}
            path: {path}
          destination:
            namespace: {ns}
          syncPolicy:
            automated:
              prune: true
              selfHeal: {(selfHeal ? "true" : "false")}

        """;

    public static string ConfigMap(string name, string value) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        data:
          value: "{value}"
        """;
}
