namespace GitOps.Rendering.Kustomize;

/// <summary>kustomize's built-in field specs (its `builtinpluginconsts` configuration), expressed as tables.</summary>
internal static class BuiltinFieldSpecs
{
    private static readonly (string Kind, string? Group, string PodSpec)[] PodKinds =
    [
        ("Pod", null, "spec"), ("PodTemplate", null, "template/spec"), ("Deployment", null, "spec/template/spec"),
        ("ReplicaSet", null, "spec/template/spec"), ("DaemonSet", null, "spec/template/spec"),
        ("StatefulSet", null, "spec/template/spec"), ("Job", null, "spec/template/spec"),
        ("CronJob", null, "spec/jobTemplate/spec/template/spec"), ("ReplicationController", null, "spec/template/spec"),
    ];

    private static IEnumerable<FieldSpec> InPodSpecs(IEnumerable<string> kinds, params string[] paths) =>
        from k in PodKinds
        where kinds.Contains(k.Kind)
        from p in paths
        select new FieldSpec($"{k.PodSpec}/{p}", k.Kind);

    private static readonly string[] ConfigKinds = ["Pod", "PodTemplate", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"];
    private static readonly string[] AccountKinds = ["Pod", "StatefulSet", "Deployment", "ReplicationController", "CronJob", "Job", "DaemonSet"];

    /// <summary>Referenced kind → the fields (in other objects) that hold its name.</summary>
    public static IReadOnlyList<(string Kind, string? Group, List<FieldSpec> Referrers)> NameReferences { get; } =
    [
        ("ConfigMap", "", [
            .. InPodSpecs(ConfigKinds, "volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
                "initContainers/env/valueFrom/configMapKeyRef/name", "containers/envFrom/configMapRef/name",
                "initContainers/envFrom/configMapRef/name", "volumes/projected/sources/configMap/name"),
            new("spec/configSource/configMap", "Node"),
            new("rules/resourceNames", "Role"), new("rules/resourceNames", "ClusterRole"),
            new(@"metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap", "Ingress"),
        ]),
        ("Secret", "", [
            .. InPodSpecs(ConfigKinds, "volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
                "initContainers/env/valueFrom/secretKeyRef/name", "containers/envFrom/secretRef/name",
                "initContainers/envFrom/secretRef/name", "imagePullSecrets/name", "volumes/projected/sources/secret/name"),
            new("spec/tls/secretName", "Ingress"),
            new(@"metadata/annotations/ingress.kubernetes.io\/auth-secret", "Ingress"),
            new(@"metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret", "Ingress"),
            new(@"metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret", "Ingress"),
            new("imagePullSecrets/name", "ServiceAccount"), new("secrets/name", "ServiceAccount"),
            new("parameters/secretName", "StorageClass"), new("parameters/adminSecretName", "StorageClass"),
            new("parameters/userSecretName", "StorageClass"), new("parameters/secretRef", "StorageClass"),
            new("rules/resourceNames", "Role"), new("rules/resourceNames", "ClusterRole"),
            new("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", "Service", "serving.knative.dev"),
            new("spec/azureFile/secretName", "PersistentVolume"),
        ]),
        ("Service", "", [
            new("spec/serviceName", "StatefulSet"), new("spec/rules/http/paths/backend/serviceName", "Ingress"),
            new("spec/backend/serviceName", "Ingress"), new("spec/rules/http/paths/backend/service/name", "Ingress"),
            new("spec/defaultBackend/service/name", "Ingress"), new("spec/service/name", "APIService"),
            new("webhooks/clientConfig/service", "ValidatingWebhookConfiguration"),
            new("webhooks/clientConfig/service", "MutatingWebhookConfiguration"),
            new("spec/rules/backendRefs/name", "HTTPRoute"),
        ]),
        ("Role", "rbac.authorization.k8s.io", [new("roleRef/name", "RoleBinding")]),
        ("ClusterRole", "rbac.authorization.k8s.io", [new("roleRef/name", "RoleBinding"), new("roleRef/name", "ClusterRoleBinding")]),
        ("ServiceAccount", "", [
            new("subjects", "RoleBinding"), new("subjects", "ClusterRoleBinding"),
            .. InPodSpecs(AccountKinds, "serviceAccountName"),
        ]),
        ("PersistentVolumeClaim", "", [.. InPodSpecs(AccountKinds, "volumes/persistentVolumeClaim/claimName")]),
        ("PersistentVolume", "", [new("spec/volumeName", "PersistentVolumeClaim"), new("rules/resourceNames", "ClusterRole")]),
        ("StorageClass", "storage.k8s.io", [
            new("spec/storageClassName", "PersistentVolume"), new("spec/storageClassName", "PersistentVolumeClaim"),
            new("spec/volumeClaimTemplates/spec/storageClassName", "StatefulSet"),
        ]),
        ("PriorityClass", "scheduling.k8s.io", [.. InPodSpecs(AccountKinds, "priorityClassName")]),
        ("IngressClass", "networking.k8s.io", [new("spec/ingressClassName", "Ingress")]),
        ("ValidatingAdmissionPolicy", "admissionregistration.k8s.io", [
            new("spec/policyName", "ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io"),
        ]),
        ("Deployment", null, [new("spec/scaleTargetRef/name", "HorizontalPodAutoscaler")]),
        ("ReplicationController", null, [new("spec/scaleTargetRef/name", "HorizontalPodAutoscaler")]),
        ("ReplicaSet", null, [new("spec/scaleTargetRef/name", "HorizontalPodAutoscaler")]),
        ("StatefulSet", null, [new("spec/scaleTargetRef/name", "HorizontalPodAutoscaler")]),
    ];

    private static readonly string[] TemplateKinds = ["ReplicationController", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"];

    /// <summary>metadata/labels everywhere plus pod template labels (kustomize's metadataLabels specs).</summary>
    public static IReadOnlyList<FieldSpec> TemplateLabels { get; } =
    [
        .. TemplateKinds.Select(k => new FieldSpec("spec/template/metadata/labels", k, Create: true)),
        new("spec/jobTemplate/metadata/labels", "CronJob", Create: true),
        new("spec/jobTemplate/spec/template/metadata/labels", "CronJob", Create: true),
    ];

    public static IReadOnlyList<FieldSpec> MetadataLabels { get; } = [new("metadata/labels", Create: true)];

    private static readonly string[] AffinityPaths =
    [
        "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
    ];

    /// <summary>Selectors that commonLabels (and labels with includeSelectors) also change.</summary>
    public static IReadOnlyList<FieldSpec> Selectors { get; } =
    [
        new("spec/selector", "Service", Version: "v1", Create: true),
        new("spec/selector", "ReplicationController", Version: "v1", Create: true),
        new("spec/selector/matchLabels", "Deployment", Create: true),
        .. AffinityPaths.Select(p => new FieldSpec(p, "Deployment", "apps")),
        new("spec/selector/matchLabels", "ReplicaSet", Create: true),
        new("spec/selector/matchLabels", "DaemonSet", Create: true),
        new("spec/selector/matchLabels", "StatefulSet", "apps", Create: true),
        new("spec/volumeClaimTemplates[]/metadata/labels", "StatefulSet", "apps", Create: true),
        .. AffinityPaths.Select(p => new FieldSpec(p, "StatefulSet", "apps")),
        new("spec/selector/matchLabels", "Job", "batch"),
        new("spec/jobTemplate/spec/selector/matchLabels", "CronJob", "batch"),
        new("spec/selector/matchLabels", "PodDisruptionBudget", "policy"),
        new("spec/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io"),
        new("spec/ingress/from/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io"),
        new("spec/egress/to/podSelector/matchLabels", "NetworkPolicy", "networking.k8s.io"),
    ];

    public static IReadOnlyList<FieldSpec> CommonLabels { get; } = [.. Selectors, .. MetadataLabels, .. TemplateLabels];

    public static IReadOnlyList<FieldSpec> CommonAnnotations { get; } =
    [
        new("metadata/annotations", Create: true),
        .. TemplateKinds.Select(k => new FieldSpec("spec/template/metadata/annotations", k, Create: true)),
        new("spec/jobTemplate/metadata/annotations", "CronJob", Create: true),
        new("spec/jobTemplate/spec/template/metadata/annotations", "CronJob", Create: true),
    ];

    public static IReadOnlyList<FieldSpec> Replicas { get; } =
    [
        new("spec/replicas", "Deployment", Create: true), new("spec/replicas", "ReplicationController", Create: true),
        new("spec/replicas", "ReplicaSet", Create: true), new("spec/replicas", "StatefulSet", Create: true),
    ];

    /// <summary>Where `namespace:` writes besides metadata.namespace (a v1 Namespace's own name included).</summary>
    public static IReadOnlyList<FieldSpec> Namespace { get; } =
    [
        new("metadata/name", "Namespace", Create: true),
        new("spec/service/namespace", "APIService", "apiregistration.k8s.io", Create: true),
        new("spec/conversion/webhook/clientConfig/service/namespace", "CustomResourceDefinition", "apiextensions.k8s.io"),
    ];

    /// <summary>Image fields the images transformer rewrites besides every container list it finds.</summary>
    public static IReadOnlyList<FieldSpec> Images { get; } =
    [
        new("spec/containers[]/image", Create: true), new("spec/initContainers[]/image", Create: true),
        new("spec/template/spec/containers[]/image", Create: true), new("spec/template/spec/initContainers[]/image", Create: true),
    ];

    /// <summary>Fields where legacy `$(VAR)` references are expanded.</summary>
    public static IReadOnlyList<FieldSpec> VarReferences { get; } =
    [
        .. from k in PodKinds
           from c in new[] { "containers", "initContainers" }
           from f in new[] { "args", "command", "env/value", "volumeMounts/mountPath" }
           select new FieldSpec($"{k.PodSpec}/{c}/{f}", k.Kind),
        new("spec/rules/host", "Ingress"), new("spec/tls/hosts", "Ingress"), new("spec/tls/secretName", "Ingress"),
        new("metadata/annotations"), new("metadata/labels"),
        new("spec/template/spec/containers/volumeMounts/mountPath", "Deployment"),
        new("spec/template/spec/volumes/hostPath/path", "Deployment"),
        new("spec/template/spec/containers/volumeMounts/mountPath", "StatefulSet"),
        new("spec/template/spec/volumes/hostPath/path", "StatefulSet"),
        new("spec/template/spec/containers/ports/containerPort", "Deployment"),
        new("data", "ConfigMap"),
        .. new[] { "Deployment", "DaemonSet", "Job", "ReplicaSet" }.Select(k => new FieldSpec("spec/template/spec/volumes/nfs/server", k)),
        new("spec/volumes/nfs/server", "Pod"), new("spec/jobTemplate/spec/template/volumes/nfs/server", "CronJob"),
        new("spec/volumeClaimTemplates/spec/nfs/server", "StatefulSet"), new("spec/nfs/server", "PersistentVolume"),
        new("spec/template/metadata/annotations", "Deployment"),
        new("spec/ports/port", "Service"), new("spec/ports/targetPort", "Service"),
    ];
}
