#!/usr/bin/env bash
# Re-runs the evidence eval on the blind sets that have become development data
# (each was measured once, blind, then the reviewer was changed after studying
# its errors) and writes eval/results/evidence-<set>-dev.{md,json}, marked as not
# held out. The blind runs stay in eval/results/evidence-<set>.{md,json}.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
for set in "$@"; do
  out=$(mktemp -d)
  PYTHONPATH=$PWD "$PY" -m eval.evidence --cases "eval/evidence/$set" --out "$out" >/dev/null
  cp "$out/evidence.json" "eval/results/evidence-$set-dev.json"
  { echo "# Evidence review evaluation"; echo
    echo "> The reviewer was changed after studying its errors on this set, so this run is **not** a held-out"
    echo "> measure; the blind run of this set is \`evidence-$set.md\`."
    tail -n +2 "$out/evidence.md"; } > "eval/results/evidence-$set-dev.md"
  rm -rf "$out"
done
