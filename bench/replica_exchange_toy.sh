#!/usr/bin/env bash
# Acceptance of the resolution exchange's Hessian proposal (fix backmap/replica ... proposal
# hessian) against its width s and against the number of molecules swapped at once, on the toy
# molecule of the exactness test (unittest/lammps/exchange_toy: 5 atoms, 3 beads each; the
# molecules 15 A apart, all in one replica, all swapped by each attempt). Langevin at 300 K,
# an attempt after every 100 steps of each replica.
# usage: bash bench/replica_exchange_toy.sh   (from the repository root, after the build; ATTEMPTS=400)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backmap="$repo/build/bin/backmap"; lmp="$repo/build/bin/lmp"
work="${WORK:-$repo/build/bench/replica_exchange_toy}"; attempts="${ATTEMPTS:-400}"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
source "$repo/unittest/lammps/exchange_toy/toy_setup.sh"
toy_setup "$backmap" 1
one() {  # one COUNT WIDTH: prints the acceptance and the time per attempt
  local count="$1" width="$2" name="n$1_s$2"
  mkdir -p "$name"
  python3 "$toy_dir/toy_cg_data.py" cg_start.data "$count" > "$name/cg.data"
  cat > "$name/in" <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
angle_style harmonic
read_data $name/cg.data
include cg.coeffs
pair_style zero 8.0
pair_coeff * *
fix bm all backmap model/model.pt topology $name/cg.data every 100 dump $name/backmapped.pdb
fix aa all backmap/replica bm every 100 run 100 forcefield $toy_dir/toy.ff files $name/toy input aa_md.in temperature 300 seed 7 exchange 1 proposal hessian width $width
fix cg_langevin all langevin 300.0 300.0 100.0 777
fix cg_nve all nve
timestep 2.0
velocity all create 300.0 12 dist gaussian
run $((100 * attempts))
IN
  "$lmp" -in "$name/in" -log "$name/log" -screen none
  awk -v n="$count" -v s="$width" '/exchange at step/ {k++; if (/: accepted/) a++; t += $(NF - 5) + 0}
       END {printf "| %d | %d | %.2f | %d / %d | %.3f | %.1f ms |\n", n, 5 * n, s, a, k, a / k, 1000 * t / k}' "$name/log"
}
echo "| molecules | atoms | width s (A) | accepted | rate | time per attempt |"
echo "| --- | --- | --- | --- | --- | --- |"
for width in 0.1 0.3 1.0; do one 1 "$width"; done
for count in 2 4 8; do one "$count" 0.3; done
