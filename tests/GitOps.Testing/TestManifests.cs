namespace GitOps.Testing;

/// <summary>The YAML the controller tests write: Application documents for an apps file, and the ConfigMap whose one
/// value a test commits again and again to make a new revision.</summary>
public static class TestManifests
{
    /// <summary>An Application; automated (prune and self-heal unless told otherwise) by default.</summary>
    public static string Application(string name, string repoUrl, string path, string ns, bool prune = true,
        bool selfHeal = true, string revision = "main", bool automated = true)
    {
        var yaml = $"""
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

            """;
        return automated
            ? yaml + $"  syncPolicy:\n    automated:\n      prune: {(prune ? "true" : "false")}\n      selfHeal: {(selfHeal ? "true" : "false")}\n"
            : yaml;
    }

    public static string ConfigMap(string name, string value) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        data:
          value: "{value}"
        """;

    /// <summary>A Secret named creds with a value in data (base64), one in stringData, and a copy of the latter in
    /// kubectl's last-applied-configuration annotation: every place a value can hide from a masker.</summary>
    public static string SecretWithCopies(string dataValue, string stringDataValue) => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: creds
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: '{"{"}"stringData":{"{"}"pw":"{stringDataValue}"{"}"}{"}"}'
        data:
          token: {Base64(dataValue)}
        stringData:
          pw: {stringDataValue}
        """;

    /// <summary>A Secret named broken whose data value is not valid base64: the API server refuses it, and its error
    /// (which may quote the value) goes into status and history.</summary>
    public static string SecretNotBase64(string value) => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: broken
        data:
          key: "{value}"
        """;

    public static string Base64(string value) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value));
}
