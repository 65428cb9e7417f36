#!/usr/bin/env bash
# Regenerates the expected outputs in this folder with the Python reference, home-secret-toml
# 0.2.1 (see ../../../shared/REFERENCE.md). Not run by CI: the files are checked in, and the
# tests compare our `hst` against them. Needs: python3 -m venv ref && ref/bin/pip install home-secret-toml==0.2.1
set -euo pipefail
ref=${REF_HST:-/tmp/ref/bin/hst}
cd "$(dirname "$0")/.."
for f in seed003 types tables quoted masks crlf lone_cr no_final_newline empty only_filtered; do
  "$ref" ls --path "fixtures/$f.toml" > "expected/$f.ls"
done
"$ref" ls --path fixtures/seed003.toml --query 'AWS, prod' > expected/seed003.query_aws_prod.ls
"$ref" ls --path fixtures/quoted.toml --query 'straße' > expected/quoted.query_strasse.ls
"$ref" ls --path fixtures/quoted.toml --query 'MY_service' > expected/quoted.query_my_service.ls
"$ref" ls --path fixtures/types.toml --query 'nope nothing' > expected/types.query_none.ls
"$ref" ls --path fixtures/only_filtered.toml --query ' , ' > expected/only_filtered.query_separators.ls
# `get` of every kind of value: one line per key, "<key>\t<exit code>\t<stdout>\t<stderr>" with
# backslash, tab and newline escaped as \\, \t and \n.
esc() { python3 -c 'import sys; d=sys.stdin.read(); print(d.replace("\\","\\\\").replace("\t","\\t").replace("\n","\\n"), end="")'; }
while IFS= read -r key; do
  set +e
  "$ref" get "$key" --path fixtures/types.toml > /tmp/get.out 2> /tmp/get.err
  rc=$?
  set -e
  printf '%s\t%s\t%s\t%s\n' "$key" "$rc" "$(esc < /tmp/get.out)" "$(esc < /tmp/get.err)"
done < expected/types.get.keys > expected/types.get
tmp=$(mktemp -d)
for f in seed003 tables types; do
  "$ref" gen-enum --path "fixtures/$f.toml" --output "$tmp/$f.py" > /dev/null
  cp "$tmp/$f.py" "expected/$f.enum.py"
done
rm -rf "$tmp"
