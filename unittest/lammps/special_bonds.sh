#!/usr/bin/env bash
# LAMMPS-level test: fix backmap sees every bead within the model cutoff whatever special_bonds
# excludes. Ubiquitin mapped with its elastic network (bonds inside residues, along the
# backbone and between nearby backbone beads) is backmapped by the fix under each common
# special_bonds setting, on 1, 2 and 4 ranks, and every frame must equal `backmap run` on the
# same coordinates, which knows nothing of bonds. LAMMPS's own neighbour lists drop pairs whose
# special weight is 0, so a fix built on them fails here (up to 3 A off under Martini's setting).
# usage: special_bonds.sh BACKMAP LMP MODEL STRUCTURE WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; work="$5"
mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
bonds=$(awk '$2 == "bonds" {print $1; exit}' cg.data)
[ "${bonds:-0}" -gt 100 ] || { echo "expected the elastic network's bonds in cg.data, found '${bonds:-none}'"; exit 1; }
"$backmap" run --model "$model" cg.data -o standalone.pdb > /dev/null

# max |coordinate difference| between the ATOM records of two PDB files (or of model M of the
# first), in order; at most 0.0005 A: the same to the last printed digit
compare() {
  paste <(grep '^ATOM' "$1" | cut -c31-54) <(grep '^ATOM' "$2" | cut -c31-54) | awk -v a="$1" -v b="$2" '
    { n++; for (k = 0; k < 3; k++) { d = substr($0, 1 + 8*k, 8) - substr($0, 26 + 8*k, 8); if (d < 0) d = -d; if (d > m) m = d } }
    END { printf "%s vs %s: %d atoms, max difference %.4f A\n", a, b, n, m; if (n == 0 || m > 0.0005) exit 1 }'
}

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
cat > in.md <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
read_data cg.data
special_bonds lj 0.0 1.0 1.0
pair_style soft 4.0
pair_coeff * * 2.0
velocity all create 300.0 4928459 dist gaussian
fix integrate all nve
timestep 10.0
fix bm all backmap $model topology cg.data every 100 dump \${out}
dump cg all custom 100 \${cgdump} id xu yu zu
dump_modify cg format float %22.15g
run 200
IN
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
