#!/usr/bin/env bash
# LAMMPS-level proof that fix backmap/replica's resolution exchange is exact: with exchanges
# on, the configurations of both replicas right after each attempt are distributed as long
# runs of each replica alone sample them, within statistical error; and the same test detects
# a deliberately broken acceptance (exchange_test drop_densities: the q terms left out).
#
# The system (exchange_toy/): a toy molecule B0-A0-A1-A2-B2 in a GROMACS force field of its
# own (toy.ff: harmonic bonds and angles, stiff one-fold torsions, no nonbonded energy), a
# three-bead mapping, a backmapping model trained here on exact samples of the molecule
# (toy_frames.py; 6 s), and a CG force field of harmonic bonds and an angle fitted to the
# mapped samples (toy_cg_fit.py). Both replicas run Langevin dynamics at 300 K; the exchange
# uses the Hessian proposal (proposal hessian). Statistics: exchange_statistics.py (batch-mean
# z tests of five observables).
# usage: replica_exchange_exactness.sh BACKMAP LMP WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; work="$3"
toy="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/exchange_toy"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
attempts="${EXCHANGE_ATTEMPTS:-3000}"

# the molecule's samples, its model and its CG force field (one molecule)
source "$toy/toy_setup.sh"
toy_setup "$backmap" 1
# the all-atom system for the run alone, built independently of the fix (backmap build)
mkdir -p alone
"$backmap" build frames/toy0001.pdb -o alone/toy --force-field "$toy/toy.ff" > /dev/null

cg_system() {
  cat <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
angle_style harmonic
read_data cg.data
include cg.coeffs
pair_style zero 8.0
pair_coeff * *
IN
}
run() {  # run NAME: in.NAME on one rank
  "$lmp" -in "in.$1" -log "log.$1" -screen none || { tail -20 "log.$1"; exit 1; }
}

# each replica alone: 10^6 steps, a sample every 100
{ echo "include alone/toy.settings"; echo "read_data alone/toy.data"; echo "include alone/toy.coeffs"
  cat aa_md.in; echo "velocity all create 300.0 11 dist gaussian"
  echo "dump d all custom 100 aa_alone.dump id xu yu zu"; echo "run 1000000"; } > in.aa_alone
{ cg_system; echo "fix cg_langevin all langevin 300.0 300.0 100.0 777"; echo "fix cg_nve all nve"; echo "timestep 2.0"
  echo "velocity all create 300.0 12 dist gaussian"
  echo "dump d all custom 100 cg_alone.dump id xu yu zu"; echo "run 1000000"; } > in.cg_alone
# with exchanges: an attempt every 100 CG steps (200 fs) after 100 all-atom steps (100 fs)
for mode in exact drop_densities; do
  mkdir -p "$mode"
  { cg_system
    echo "fix bm all backmap model/model.pt topology cg.data every 100 dump $mode/backmapped.pdb"
    echo "fix aa all backmap/replica bm every 100 run 100 forcefield $toy/toy.ff files $mode/toy input aa_md.in temperature 300 seed 7 exchange 1 proposal hessian width 0.3 exchange_test $mode exchange_dump $mode/ex"
    echo "fix cg_langevin all langevin 300.0 300.0 100.0 777"; echo "fix cg_nve all nve"; echo "timestep 2.0"
    echo "velocity all create 300.0 12 dist gaussian"
    echo "thermo_style custom step pe f_aa[1] f_aa[9] f_aa[10] f_aa[11]"; echo "thermo 10000"
    echo "run $((100 * attempts))"; } > "in.$mode"
done
for name in aa_alone cg_alone exact drop_densities; do run "$name"; done

# the same exchanges on 1, 2 and 4 ranks: 20 attempts, the same decisions and the same ln a and
# its parts as logged (6 digits), and the same state at the end to 1e-10 A. Nose-Hoover
# thermostats here: fix langevin draws its numbers rank by rank.
sed -e 's/^fix aa_langevin .*/fix aa_nvt all nvt temp 300.0 300.0 100.0/' -e '/aa_nve/d' aa_md.in > aa_md_nvt.in
for np in 1 2 4; do
  mkdir -p "ranks$np"
  sed -e "s#exact/#ranks$np/#g" -e "s#^run .*#run 2000#" -e "s#exchange_dump [^ ]*##" -e "s#aa_md.in#aa_md_nvt.in#" \
      -e "s#^fix cg_langevin .*#fix cg_nvt all nvt temp 300.0 300.0 200.0#" -e "/cg_nve/d" in.exact > "in.ranks$np"
  echo "write_dump all custom ranks$np/end.dump id xu yu zu modify sort id format float %.17g" >> "in.ranks$np"
  mpirun --allow-run-as-root --oversubscribe -np "$np" "$lmp" -in "in.ranks$np" -log "log.ranks$np" -screen none \
    || { tail -20 "log.ranks$np"; exit 1; }
  grep -o 'exchange at step .*: \(accepted\|rejected\)' "log.ranks$np" > "ranks$np/attempts"
done
[ "$(wc -l < ranks1/attempts)" = 20 ] || { echo "FAIL: $(wc -l < ranks1/attempts) attempts logged, not 20"; exit 1; }
for np in 2 4; do
  cmp ranks1/attempts "ranks$np/attempts" || { echo "FAIL: the attempts on $np ranks differ from 1 rank's"; exit 1; }
  paste ranks1/end.dump "ranks$np/end.dump" | awk -v np="$np" 'NF == 8 && $1 ~ /^[0-9]+$/ {
      for (k = 2; k <= 4; ++k) { d = $k - $(k + 4); if (d < 0) d = -d; if (d > 1e-10) { print "FAIL: bead " $1 " differs on " np " ranks by " d; exit 1 } } }'
done
echo "1, 2 and 4 ranks: the same $(grep -c accepted ranks1/attempts) accepted of 20 attempts"

for mode in exact drop_densities; do
  python3 "$toy/exchange_statistics.py" alone/toy.data alone/toy.coeffs cg.data cg.coeffs aa_alone.dump cg_alone.dump \
    "$mode/ex" "log.$mode" | tee "statistics.$mode"
done
# exact: every observable within 4 standard errors of its mean alone (batch means of 20
# batches: p ~ 1e-3 each); broken: some observable beyond 6
awk '/ z / {z = $NF < 0 ? -$NF : $NF; if (z >= 4) {print "FAIL exact acceptance: " $0; bad = 1}}
     /^attempts/ {rate = $5; gsub(/[()]/, "", rate); if (rate + 0 < 0.1) {print "FAIL: too few exchanges accepted for the test to have power: " $0; bad = 1}}
     END {exit bad}' statistics.exact
awk '/ z / {z = $NF < 0 ? -$NF : $NF; if (z > top) top = z} END {if (top <= 6) {print "FAIL: the broken acceptance was not detected (largest |z| " top ")"; exit 1}}' \
  statistics.drop_densities
echo "exactness test passed"
