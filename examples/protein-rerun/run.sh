#!/usr/bin/env bash
# The validation protocol: an atomistic trajectory (here the 10-model NMR ensemble of
# ubiquitin, PDB 1D3Z with hydrogens, from Debian's freesasa) is mapped to a CG trajectory,
# LAMMPS reruns it with fix backmap, and compute backmap/rmsd compares every backmapped frame
# with the atomistic frame it was mapped from.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="$REPO/build/bin"
INPUT="${INPUT:-/usr/share/freesasa/test-data/1d3z.pdb}"
MODEL="${MODEL:-$REPO/potentials/martini3-protein.pt}"
OUT="$HERE/out"
mkdir -p "$OUT"
cd "$OUT"
"$BIN/backmap" map "$INPUT" -o cg.data > /dev/null    # topology (and frame 1)
"$BIN/backmap" map "$INPUT" -o cg.dump                # every model as a CG frame
"$BIN/lmp" -in "$HERE/in.rerun" -var model "$MODEL" -var reference "$INPUT" -log log.lammps -screen none
sed -n '/^ *Step/,/^Loop time/p' log.lammps
echo "backmapped frames: $OUT/backmapped.pdb ($(grep -c '^MODEL' backmapped.pdb) models)"
