#!/usr/bin/env bash
# The project's test command (README, CI): bring up the local control plane, build, run every test project,
# and end with one summary line `N passed, N failed, N skipped`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash hack/install-deps.sh
KUBECONFIG_PATH=$(bash hack/local-cluster.sh up | tail -n 1)
export GITOPS_TEST_KUBECONFIG=$KUBECONFIG_PATH

dotnet build GitOps.sln -c Release --nologo -v quiet
# The benchmarks are not in the solution; build them so they cannot rot unnoticed.
for bench in bench/*/*.csproj; do dotnet build "$bench" -c Release --nologo -v quiet; done
results=$(mktemp -d)
status=0
dotnet test GitOps.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@" || status=$?

# Sum the TRX counters of every test project (dotnet test prints no single total line).
passed=0; failed=0; skipped=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
