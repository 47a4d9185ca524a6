#!/usr/bin/env bash
# LAMMPS-level test: fix backmap/replica's seed feedback puts the all-atom replica, mapped
# forward, back into the CG run. Checked against independent paths:
#  (a) after a cycle the CG beads sit where `backmap map` puts the beads of the replica's last
#      configuration, read from the replica's dump (6 decimals) and the names of its .gro file,
#      to 1e-4 A (modulo the box); both when the feedback is applied as a run starts (a cycle
#      on the last step of the run before) and within a run (the step after the cycle, where
#      LAMMPS re-neighbours); f_aa[8] is the RMSD between the beads before and after;
#  (b) the resampled velocities: the temperature over the beads (compute temp right after) is
#      within 4.5 standard deviations of the fix's temperature for 3N-3 degrees of freedom, the
#      total momentum is what it was, and velocities and temperature are the same on 1, 2 and 4
#      ranks (drawn by atom ID; to the round-off of the momentum they keep, 1e-15 A/fs), and so
#      are the positions (to the round-off of the replica's MD, 1e-11 A);
#  (c) feedback none leaves the CG trajectory bit-identical to a run without the replica.
# usage: replica_feedback.sh BACKMAP LMP MODEL STRUCTURE WORKDIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; work="$5"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$backmap" map "$structure" -o cg.data --elastic-network > /dev/null
state() {  # state FILE: every bead's position and velocity, to the last bit
  echo "write_dump all custom $1 id x y z vx vy vz modify sort id format float %.17g"
}
replica() {  # replica NAME FEEDBACK
  echo "fix aa all backmap/replica bm every 20 run 10 forcefield amber99sb-ildn files $1/aa temperature 300 seed 7 feedback $2 dump $1/aa.dump"
}
for np in 1 2 4; do
  mkdir -p "seed$np"
  { md_input "$model" 20
    replica "seed$np" seed
    echo "thermo_style custom step temp f_aa[8]"
    echo "thermo_modify format float %.15g"
    state "seed$np/before.dump"
    echo "run 0"    # the cycle of step 0: the beads move when the next run starts
    state "seed$np/pending.dump"
    echo "run 0"
    state "seed$np/after.dump"
    echo "shell cp seed$np/aa.dump seed$np/aa_step0.dump"
    if [ $np -lt 4 ]; then    # 4 ranks: the velocities only (the machine may have fewer cores)
      echo "run 21"   # the cycle of step 20: the beads move in step 21
      state "seed$np/after21.dump"
    fi; } > "in.seed$np"
  mpirun --allow-run-as-root --oversubscribe -np $np "$lmp" -in "in.seed$np" -var out "seed$np.pdb" -log "log.seed$np" -screen none \
    || { tail -20 "log.seed$np"; exit 1; }
done

# the second code path: the replica's last configuration as a .gro file (names from the one the
# fix wrote, coordinates from its dump with 7 decimals in nm), mapped by `backmap map`
to_gro() {  # to_gro NAMES.gro AA.dump OUT.gro: the dump's last snapshot
  python3 - "$@" <<'PY'
import sys
names, dump, out = sys.argv[1:]
lines = open(dump).read().split("ITEM: TIMESTEP\n")[-1].splitlines()
n = int(lines[2])
cols = lines[7].split()[2:]
rows = sorted((list(map(float, l.split())) for l in lines[8:8 + n]), key=lambda r: r[0])
x = [[r[cols.index(c)] for c in ("x", "y", "z")] for r in rows]
gro = open(names).read().splitlines()
assert int(gro[1]) == n, (gro[1], n)
with open(out, "w") as f:
    f.write("replica, last snapshot\n%d\n" % n)
    for line, (a, b, c) in zip(gro[2:2 + n], x):
        f.write("%s%12.7f%12.7f%12.7f\n" % (line[:20], a / 10, b / 10, c / 10))
    f.write(gro[2 + n] + "\n")
PY
}
for np in 1 2 4; do
  to_gro "seed$np/aa.gro" "seed$np/aa_step0.dump" "seed$np/final0.gro"
  "$backmap" map "seed$np/final0.gro" -o "seed$np/mapped0.data" > /dev/null
  [ $np = 4 ] && continue
  to_gro "seed$np/aa.gro" "seed$np/aa.dump" "seed$np/final20.gro"
  "$backmap" map "seed$np/final20.gro" -o "seed$np/mapped20.data" > /dev/null
done

python3 - cg.data <<'PY'
import sys, math

def data_atoms(path):
    """id -> (x, y, z, bead name) and the box lengths of a data file from backmap map"""
    lines = open(path).read().splitlines()
    box = [float(l.split()[1]) - float(l.split()[0]) for l in lines if l.endswith(("xhi", "yhi", "zhi"))]
    start = next(i for i, l in enumerate(lines) if l.startswith("Atoms")) + 2
    atoms = {}
    for l in lines[start:]:
        if not l.strip():
            break
        v, comment = l.split("#")
        v = v.split()
        atoms[int(v[0])] = (float(v[4]), float(v[5]), float(v[6]), comment.split()[-1])
    masses = {}
    start = next(i for i, l in enumerate(lines) if l.startswith("Masses")) + 2
    for l in lines[start:]:
        if not l.strip():
            break
        masses[int(l.split()[0])] = float(l.split()[1])
    types = {}
    start = next(i for i, l in enumerate(lines) if l.startswith("Atoms")) + 2
    for l in lines[start:]:
        if not l.strip():
            break
        types[int(l.split()[0])] = int(l.split()[2])
    return atoms, box, {i: masses[t] for i, t in types.items()}

def state(path):
    """id -> [x, y, z, vx, vy, vz]"""
    lines = open(path).read().splitlines()
    n = int(lines[3])
    return {int(l.split()[0]): list(map(float, l.split()[1:])) for l in lines[9:9 + n]}

def thermo(path):
    rows = []
    on = False
    for l in open(path):
        if l.split()[:1] == ["Step"]:
            on = True
            block = []
            rows.append(block)
        elif on and l.split() and l.split()[0].isdigit():
            block.append(list(map(float, l.split())))
        elif l.startswith("Loop"):
            on = False
    return rows

def nearest(d, box):
    return [x - L * round(x / L) for x, L in zip(d, box)]

cg, box, mass = data_atoms(sys.argv[1])
N = len(cg)
velocities = {}
for np in (1, 2, 4):
    before = state(f"seed{np}/before.dump")
    pending = state(f"seed{np}/pending.dump")
    after = state(f"seed{np}/after.dump")
    velocities[np] = after
    assert pending == before, "the beads moved before the run after their cycle"
    # (a) the beads are the replica's mapped forward by backmap map
    checks = [(f"seed{np}/mapped0.data", after)]
    if np < 4:
        checks.append((f"seed{np}/mapped20.data", state(f"seed{np}/after21.dump")))
    for mapped_file, moved in checks:
        mapped, _, _ = data_atoms(mapped_file)
        assert len(mapped) == N, (mapped_file, len(mapped), N)
        worst = 0
        for i in cg:
            assert mapped[i][3] == cg[i][3], (mapped_file, i, mapped[i], cg[i])
            d = nearest([moved[i][k] - mapped[i][k] for k in range(3)], box)
            worst = max(worst, max(abs(x) for x in d))
        print(f"{np} rank(s): beads vs backmap map of the replica ({mapped_file}): max difference {worst:.2e} A")
        assert worst < 1e-4, worst
    # f_aa[8]: the RMSD of the move
    blocks = thermo(f"log.seed{np}")
    temperature, rmsd = blocks[1][0][1], blocks[1][0][2]
    moves = [nearest([after[i][k] - before[i][k] for k in range(3)], box) for i in cg]
    expected = math.sqrt(sum(x * x for d in moves for x in d) / N)
    print(f"{np} rank(s): f_aa[8] {rmsd:.6f} A, from the dumps {expected:.6f} A; temperature after {temperature:.4f} K")
    assert abs(rmsd - expected) < 1e-9 and 0.05 < rmsd < 2, (rmsd, expected)
    # (b) Maxwell-Boltzmann at 300 K over 3N - 3 degrees of freedom: T/300 has standard
    # deviation sqrt(2 / (3N - 3)); the momentum stays what it was; the velocities changed
    sd = math.sqrt(2 / (3 * N - 3))
    assert abs(temperature / 300 - 1) < 4.5 * sd, (temperature, sd)
    for k in range(3):
        p_before = sum(mass[i] * before[i][3 + k] for i in cg)
        p_after = sum(mass[i] * after[i][3 + k] for i in cg)
        assert abs(p_after - p_before) < 1e-12, (k, p_before, p_after)
    assert sum(before[i][3] != after[i][3] for i in cg) == N
    # the draws are the same on any number of ranks; the momentum they keep is the CG run's,
    # whose velocities differ by round-off (1e-18 A/fs) when more ranks have summed them
    if np > 1:
        worst = max(abs(velocities[np][i][k] - velocities[1][i][k]) for i in cg for k in range(3, 6))
        print(f"{np} rank(s): velocities after the feedback vs 1 rank: max difference {worst:.1e} A/fs")
        assert worst < 1e-15, worst
        assert abs(temperature - thermo("log.seed1")[1][0][1]) <= 1e-12 * temperature
        # the positions: the replica's last MD step mapped forward, and that MD's force sums
        # run rank by rank (doc/src/fix_backmap_replica.rst): the same to round-off
        worst = max(abs(x) for i in cg for x in nearest([velocities[np][i][k] - velocities[1][i][k] for k in range(3)], box))
        print(f"{np} rank(s): positions after the feedback vs 1 rank: max difference {worst:.1e} A")
        assert worst < 1e-11, worst    # measured 1.8e-14 A (2026-12-02)
PY

# (c) feedback none: the CG run is the one without the replica, to the last bit
# (the replica's cost left out: minimize no, run 0)
{ md_input "$model" 20; echo "$(replica none none | sed 's/ run 10 / run 0 /') minimize no"; echo "run 25"
  state none.dump; } > in.none
{ md_input "$model" 20; echo "run 25"; state plain.dump; } > in.plain
"$lmp" -in in.none -var out none.pdb -log log.none -screen none || { tail -20 log.none; exit 1; }
"$lmp" -in in.plain -var out plain.pdb -log log.plain -screen none || { tail -20 log.plain; exit 1; }
grep -q "^ *25 " log.none
cmp none.dump plain.dump || { echo "feedback none changed the CG run"; exit 1; }
echo "feedback none: the CG state at step 25 equals the run without the replica, bit for bit"

# a feedback that is not one is refused when the fix is defined
{ md_input "$model" 20; replica bad maybe; } > in.bad
if "$lmp" -in in.bad -var out bad.pdb -log log.bad -screen none; then echo "feedback maybe was accepted"; exit 1; fi
grep -q "feedback must be none or seed, not maybe" log.bad || { tail -5 log.bad; exit 1; }
echo "replica feedback: passed"
