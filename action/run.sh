#!/usr/bin/env bash
# The action's one shell step (action.yml), runnable alone: it runs layercheck
# with the action's inputs, appends summary.md to the job summary and sets the
# outputs, then exits with layercheck's own code, so the job fails exactly when
# the gate does — after the summary is written.
#
# Inputs come as INPUT_* variables. layercheck is the repository's own
# (node_modules/.bin, after npm ci) when it has one, else the package through
# npx. LAYERCHECK_COMMAND replaces both (the project's tests run this script
# against the repository).
set -uo pipefail

config=${INPUT_CONFIG:?the config input is required: the profile describing the deployment}
report_dir=${INPUT_REPORT_DIR:-layercheck-report}
fail_on=${INPUT_FAIL_ON:-warning}
baseline=${INPUT_BASELINE:-}

if [ -n "${LAYERCHECK_COMMAND:-}" ]; then
  read -r -a command <<< "$LAYERCHECK_COMMAND"
elif [ -x node_modules/.bin/layercheck ]; then
  # The repository's own layercheck (a devDependency): the one its profile imports defineConfig from.
  command=(node_modules/.bin/layercheck)
else
  version=${INPUT_VERSION:-}
  if [ -z "$version" ] && [ -n "${ACTION_PATH:-}" ] && [ -f "$ACTION_PATH/package.json" ]; then
    version=$(node -p "require(process.argv[1]).version" "$ACTION_PATH/package.json")
  fi
  command=(npx --yes "layercheck@${version:-latest}")
fi

args=(run --config "$config" --report-dir "$report_dir" --fail-on "$fail_on")
if [ -n "$baseline" ]; then
  if [ -f "$baseline" ]; then args+=(--baseline "$baseline")
  else echo "layercheck: no baseline at $baseline; comparing with nothing"; fi
fi

"${command[@]}" "${args[@]}"
code=$?

summary="$report_dir/summary.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if [ -f "$summary" ]; then cat "$summary" >> "$GITHUB_STEP_SUMMARY"
  else printf '## layercheck: exit %s\n\nNo summary was written (bad usage or profile: see the job log).\n' "$code" >> "$GITHUB_STEP_SUMMARY"; fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "report-dir=$report_dir"
    [ -f "$report_dir/junit.xml" ] && echo "junit=$report_dir/junit.xml"
  } >> "$GITHUB_OUTPUT"
fi
exit "$code"
