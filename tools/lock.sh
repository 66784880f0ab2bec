#!/usr/bin/env bash
# Rebuild the hashed lock files from the direct pins in requirements.txt and
# requirements-dev.txt (pip-tools' pip-compile; run it after changing a pin):
#     bash tools/lock.sh
# torch stays out of the locks: its CPU and CUDA wheels are different files with different
# hashes (the Makefile installs the local CPU wheel, the Dockerfile PyTorch's CPU index), so
# it is installed by version in its own step, before the locked rest.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v -E '^[[:space:]]*torch[[:space:]]*==' requirements.txt > "$tmp/runtime.in"
sed -e "s|^-r requirements.txt|-r $tmp/runtime.in|" requirements-dev.txt > "$tmp/dev.in"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet pip-tools
for pair in "runtime.in:requirements.lock" "dev.in:requirements-dev.lock"; do
    "$tmp/venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras \
        --no-emit-index-url --no-emit-find-links --annotation-style line \
        --output-file "${pair#*:}" "$tmp/${pair%%:*}"
done
# pip-compile records the temporary input paths; name the real files instead.
sed -i -e "s|$tmp/runtime.in|requirements.txt (torch apart)|g" -e "s|$tmp/dev.in|requirements-dev.txt|g" \
    requirements.lock requirements-dev.lock
