#!/usr/bin/env bash
# The C ABI's exported functions are exactly the functions blockwise.h
# declares: no declaration without a definition, no export without a
# declaration (the library exports nothing else: Sources/BlockwiseC/exports.map).
# Usage: scripts/check_c_abi_exports.sh path/to/libBlockwiseC.so
set -euo pipefail
lib=$1
header=$(dirname "$0")/../Sources/BlockwiseC/include/blockwise.h
exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {print $3}' | sort)
declared=$(grep -oE '\bblockwise_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u)
others=$(echo "$exported" | grep -v '^blockwise_' || true)
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
extra=$(comm -23 <(echo "$exported" | grep '^blockwise_') <(echo "$declared"))
if [ -n "$missing$extra$others" ]; then
  [ -n "$missing" ] && echo "declared in blockwise.h but not exported: $missing"
  [ -n "$extra" ] && echo "exported but not declared in blockwise.h: $extra"
  [ -n "$others" ] && echo "exported beyond the C ABI: $others"
  exit 1
fi
# Every declared function is in the compile-time signature check.
checked=$(grep -oE 'CBlockwiseCHeader\.blockwise_[a-z0-9_]+' "$(dirname "$0")/../Sources/BlockwiseC/HeaderConformance.swift" | sed 's/CBlockwiseCHeader\.//' | sort -u)
if [ "$checked" != "$declared" ]; then
  echo "Sources/BlockwiseC/HeaderConformance.swift does not list blockwise.h's functions: run scripts/make_header_conformance.py"
  comm -3 <(echo "$declared") <(echo "$checked")
  exit 1
fi
echo "C ABI exports: $(echo "$declared" | wc -l) functions, each declared in blockwise.h, exported, and type-checked against its @_cdecl definition; nothing else exported"
