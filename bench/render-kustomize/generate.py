#!/usr/bin/env python3
"""Generates a large kustomize tree: base (100 apps x 5 objects = 500 resources + generators),
mid and top overlays (prefix/suffix, namespace, labels, images, >=50 patches, generator merges).
Usage: generate.py OUTDIR  -> build root is OUTDIR/overlays/prod"""
import os, sys

out = sys.argv[1]
APPS = 100

def write(path, text):
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)

resources = []
for i in range(APPS):
    name = f"app{i:03d}"
    write(f"base/{name}.yaml", f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      serviceAccountName: {name}
      containers:
      - name: main
        image: nginx:1.25
        ports: [{{containerPort: 8080}}]
        env:
        - {{name: APP, value: {name}}}
        envFrom: [{{configMapRef: {{name: {name}-config}}}}]
        volumeMounts: [{{name: cfg, mountPath: /etc/app}}]
      - name: sidecar
        image: busybox:1.36
        args: [sleep, "3600"]
      volumes:
      - name: cfg
        configMap: {{name: {name}-config}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector: {{app: {name}}}
  ports: [{{port: 80, targetPort: 8080}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: 1
  maxReplicas: 3
""")
    resources.append(f"{name}.yaml")

gens = "".join(f"- name: app{i:03d}-config\n  literals: [LOG=info, PORT=\"8080\", APP=app{i:03d}]\n" for i in range(APPS))
write("base/kustomization.yaml", "resources:\n" + "".join(f"- {r}\n" for r in resources) + "configMapGenerator:\n" + gens)

def patch(i, env):
    return f"""- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {{name: app{i:03d}}}
    spec:
      template:
        spec:
          containers:
          - name: main
            env: [{{name: TIER, value: {env}}}]
            resources: {{limits: {{memory: 256Mi}}}}
"""

write("overlays/staging/kustomization.yaml", "resources: [../../base]\nnamespace: staging\nnamePrefix: stg-\n"
      "labels:\n- pairs: {env: staging}\n  includeSelectors: true\n"
      "configMapGenerator:\n" + "".join(f"- name: app{i:03d}-config\n  behavior: merge\n  literals: [LOG=debug]\n" for i in range(0, APPS, 4))
      + "patches:\n" + "".join(patch(i, "staging") for i in range(0, 60, 2)))
write("overlays/prod/kustomization.yaml", "resources: [../staging]\nnamespace: prod\nnameSuffix: -prod\n"
      "commonAnnotations: {owner: platform}\nimages:\n- name: nginx\n  newTag: \"1.27\"\n- name: busybox\n  newName: registry.local/busybox\n"
      "replicas:\n" + "".join(f"- name: app{i:03d}\n  count: 3\n" for i in range(0, 20))
      + "secretGenerator:\n- name: shared\n  literals: [token=abc]\n"
      + "patches:\n" + "".join(patch(i, "prod") for i in range(1, 60, 2))
      + "- target: {kind: HorizontalPodAutoscaler}\n  patch: |-\n    - op: replace\n      path: /spec/maxReplicas\n      value: 10\n")
