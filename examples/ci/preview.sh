#!/usr/bin/env bash
# A pull-request preview step any CI can run: what the change does to every rendered application.
#
#   examples/ci/preview.sh APPS_FILE [BASE_BRANCH]
#   examples/ci/preview.sh --server [BASE_BRANCH]    # the apps from the controller: GITOPS_SERVER, GITOPS_TOKEN
#                                                      # (a read-only token); PREVIEW_LIVE=1 compares against the
#                                                      # live cluster (the head must be pushed to the repository)
#
# Needs: git, the `gitops` CLI on PATH, a checkout of the pull request's head (shallow is fine: the base branch is
# fetched here). Writes preview.md (a pull-request comment) and exits like `diff --exit-code`: 0 no change,
# 1 changes, 2 an error (a revision that fails to render is an error, and preview.md says which app and file).
#
# Posting the comment is CI-specific; examples follow. The comment starts with <!-- gitops-preview --> so a job can
# find and edit its earlier comment instead of adding one per push.
set -euo pipefail

apps_file=${1:?usage: preview.sh APPS_FILE|--server [BASE_BRANCH]}
base_branch=${2:-${BASE_BRANCH:-main}}
if [ "$apps_file" = "--server" ]; then
  apps_args=()
  if [ "${PREVIEW_LIVE:-0}" = 1 ]; then apps_args+=(--live); fi
else
  apps_args=(--apps "$apps_file")
fi

# CI checkouts are often shallow and hold only the head: bring the base branch (and the history between).
git fetch --quiet --no-tags origin "+refs/heads/${base_branch}:refs/remotes/origin/${base_branch}"
if [ -f "$(git rev-parse --git-dir)/shallow" ]; then
  git fetch --quiet --no-tags --unshallow origin || true
fi

status=0
gitops preview "${apps_args[@]}" --base "origin/${base_branch}" --head HEAD -o markdown --exit-code > preview.md || status=$?
case "$status" in
  0) echo "preview: no application changes" ;;
  1) echo "preview: applications change (see preview.md)" ;;
  *) echo "preview: failed (see preview.md / the log above)" >&2 ;;
esac

# GitHub (gh CLI, GH_TOKEN set by the job):
#   gh pr comment "$PR_NUMBER" --body-file preview.md --edit-last || gh pr comment "$PR_NUMBER" --body-file preview.md
# GitLab (a project access token with api scope in GITLAB_TOKEN):
#   curl -sf -H "PRIVATE-TOKEN: $GITLAB_TOKEN" --data-urlencode "body@preview.md" \
#     "$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
# Gitea / Forgejo:
#   jq -Rs '{body: .}' preview.md | curl -sf -H "Authorization: token $GITEA_TOKEN" -H 'Content-Type: application/json' \
#     -d @- "$GITEA_URL/api/v1/repos/$OWNER/$REPO/issues/$PR_NUMBER/comments"

# Changes are what a preview is for: fail the step only on errors.
[ "$status" -le 1 ]
