#!/usr/bin/env bash
# LAMMPS-level test: fix backmap/replica runs an all-atom replica of the CG ubiquitin in a
# nested LAMMPS instance. Checked against independent paths: the energy of the replica's first
# frame with its hydrogens equals a separate LAMMPS's on the files the fix wrote (1e-4
# relative: the data file's 6 decimals), on 1 and 2 ranks (the same to 1e-9 relative on the
# first frame, within 2 % later, when CG dynamics on 2 ranks have summed in another order); its
# outputs are finite and its heavy atoms stay within 0.6 A of the backmapped frame; a replica that is
# given impossible settings stops the run with a message naming the replica and the step,
# and the CG frames written before stay intact.
# usage: replica.sh BACKMAP LMP MODEL STRUCTURE WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; work="$5"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
write_input() {  # write_input NAME RUN_STEPS EXTRA...
  local name="$1" run="$2"; shift 2
  { md_input "$model" 20
    echo "fix aa all backmap/replica bm every 20 run $run forcefield amber99sb-ildn files $name/aa temperature 300 seed 7 $*"
    echo "thermo_style custom step f_aa[1] f_aa[2] f_aa[3] f_aa[4] f_aa[5] f_aa[6] f_aa[7]"
    echo "thermo_modify format float %.10g"
    echo "thermo 20"
    echo "run 40"; } > "in.$name"
}
write_input one 10
write_input two 10
write_input missing 10 input missing_settings.in
echo "fix broken all nve/nonsense" > broken_settings.in
write_input bad 10 input broken_settings.in
for np in 1 2; do
  name=$([ $np = 1 ] && echo one || echo two)
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in "in.$name" -var out "$name.pdb" -log "log.$name" -screen none
done
# thermo rows of steps 0, 20, 40: f_aa[1..6]
rows() { awk '/^ *Step/ {on = 1; next} on && /^ *[0-9]+ / {print} /^Loop/ {on = 0}' "$1"; }
rows log.one > rows.one; rows log.two > rows.two
[ "$(wc -l < rows.one)" = 3 ] || { cat log.one | tail -20; echo "expected 3 thermo rows"; exit 1; }
python3 - rows.one rows.two <<'PY'
import sys, math
one = [list(map(float, l.split())) for l in open(sys.argv[1])]
two = [list(map(float, l.split())) for l in open(sys.argv[2])]
for r in one:
    step, pe_end, pe_min, pe_built, drift, moved, seconds, runs = r
    assert all(math.isfinite(v) for v in r), r
    assert pe_min < 0 and pe_min < pe_built and pe_end < pe_min + 2000, r   # relaxed, then thermal energy
    assert moved < 0.6, r                                   # minimisation keeps the backmapped frame
    assert 0 < drift < 1.5, r                               # 10 fs of MD at 300 K
print("replica rows (1 rank):", *[" ".join(f"{v:.4f}" for v in r) for r in one], sep="\n  ")
# minimised energy on 1 and 2 ranks: the same frame at step 0 gives the same replica (to
# round-off); later frames come from CG dynamics whose sums run in another order on 2 ranks,
# and a minimiser turns differences of 1e-9 A into another nearby minimum: only close
assert abs(one[0][2] - two[0][2]) <= 1e-9 * abs(one[0][2]), (one[0], two[0])
assert abs(one[0][3] - two[0][3]) <= 1e-9 * abs(one[0][3]), (one[0], two[0])
for a, b in zip(one, two):
    assert abs(a[2] - b[2]) <= 0.02 * abs(a[2]), (a, b)
assert [r[7] for r in one] == [1, 2, 3], one
PY
# the replica's first frame in a separate LAMMPS, from the files the fix wrote: the same energy
# (the nested instance, its coordinates scattered in, is an ordinary LAMMPS)
cat > in.standalone <<IN
include one/aa.settings
read_data one/aa.data
include one/aa.coeffs
run 0
print "standalone \$(pe:%.6f)" file standalone.txt
IN
"$lmp" -in in.standalone -log log.standalone -screen none
python3 - standalone.txt rows.one <<'PY'
import sys
standalone = float(open(sys.argv[1]).read().split()[1])
replica = float(open(sys.argv[2]).readline().split()[3])
print(f"energy of frame 0 with its hydrogens: standalone LAMMPS {standalone:.4f}, replica {replica:.4f} kcal/mol")
assert abs(standalone - replica) <= 1e-4 * abs(standalone), (standalone, replica)
PY
# a replica that cannot start stops the run, naming the replica and the step; the CG frame
# of step 0 stays written
if "$lmp" -in in.bad -var out bad.pdb -log log.bad -screen none; then echo "a broken replica was not refused"; exit 1; fi
grep -q "all-atom replica stopped at CG step 0" log.bad || { tail -5 log.bad; exit 1; }
grep -q "Unrecognized fix style 'nve/nonsense'" log.bad || { tail -5 log.bad; exit 1; }
# an input file that is not there is refused when the fix is defined
if "$lmp" -in in.missing -var out missing.pdb -log log.missing -screen none; then echo "a missing input was accepted"; exit 1; fi
grep -q "input file missing_settings.in" log.missing || { tail -5 log.missing; exit 1; }
[ "$(grep -c '^ENDMDL' bad.pdb)" = 1 ] || { echo "the CG frame written before the error is not intact"; exit 1; }
echo "replica: passed"
