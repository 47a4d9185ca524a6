#!/usr/bin/env bash
# LAMMPS-level test: fix backmap sees every bead within the model cutoff whatever special_bonds
# excludes. Ubiquitin mapped with its elastic network (bonds inside residues, along the
# backbone and between nearby backbone beads) is backmapped by the fix under each common
# special_bonds setting, on 1, 2 and 4 ranks, and every frame must equal `backmap run` on the
# same coordinates, which knows nothing of bonds. LAMMPS's own neighbour lists drop pairs whose
# special weight is 0, so a fix built on them fails here (up to 3 A off under Martini's setting).
# usage: special_bonds.sh BACKMAP LMP MODEL STRUCTURE WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; work="$5"
mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
bonds=$(awk '$2 == "bonds" {print $1; exit}' cg.data)
[ "${bonds:-0}" -gt 100 ] || { echo "expected the elastic network's bonds in cg.data, found '${bonds:-none}'"; exit 1; }
"$backmap" run --model "$model" cg.data -o standalone.pdb > /dev/null

# name|special_bonds line: LAMMPS's default, Martini's and elastic networks', everything kept,
# CHARMM's and AMBER's 1-4 scaling, and the coul-only form
settings=(
  "default|special_bonds lj/coul 0.0 0.0 0.0"
  "martini|special_bonds lj 0.0 1.0 1.0"
  "all|special_bonds lj/coul 1.0 1.0 1.0"
  "charmm|special_bonds charmm"
  "amber|special_bonds amber"
  "fene|special_bonds fene"
)
for entry in "${settings[@]}"; do
  name="${entry%%|*}"; line="${entry#*|}"
  cat > in.$name <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
read_data cg.data
$line
pair_style soft 4.0
pair_coeff * * 2.0
fix bm all backmap $model topology cg.data every 1 dump \${out}
run 0
IN
  for np in 1 2 4; do
    mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in in.$name -var out $name.$np.pdb \
      -log log.$name.$np -screen none
    compare $name.$np.pdb standalone.pdb
  done
done

# a moving system under Martini's setting: frames after 100 and 200 steps of dynamics (beads
# crossing the periodic boundaries and between ranks) equal `backmap run` on a dump of the same
# steps
{ md_input "$model" 100
  echo 'dump cg all custom 100 ${cgdump} id xu yu zu'
  echo 'dump_modify cg format float %22.15g'
  echo 'run 200'; } > in.md
for np in 1 4; do
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in in.md -var out md.$np.pdb -var cgdump cg.$np.dump \
    -log log.md.$np -screen none
done
"$backmap" run cg.1.dump --topology cg.data --model "$model" -o md.standalone.pdb > /dev/null
[ "$(grep -c '^MODEL' md.1.pdb)" = 3 ] && [ "$(grep -c '^MODEL' md.standalone.pdb)" = 3 ] || \
  { echo "expected 3 frames (steps 0, 100, 200)"; exit 1; }
compare md.1.pdb md.standalone.pdb
compare md.4.pdb md.1.pdb
echo "fix backmap equals backmap run under ${#settings[@]} special_bonds settings on 1, 2 and 4 ranks, and along dynamics"
