#!/usr/bin/env bash
# LAMMPS-level test: rerun over a CG trajectory backmaps every frame (frame count), and
# compute backmap/rmsd compares frame k with model k of a multi-model reference; a model
# compared with itself after a round trip through the fix differs, a different model more.
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
