#!/usr/bin/env bash
# LAMMPS-level test: fix backmap/replica's resolution exchange between a CG tripeptide (the
# first three residues of ubiquitin, elastic network, in a 50 A box) and its all-atom replica in
# vacuum. Checked against independent paths:
#  (a) the parts of ln a: U_CG(R), U_CG(M x) by a separate LAMMPS rerun of the dumped bead
#      positions, U_AA(x), U_AA(x') by a separate LAMMPS rerun of the dumped atoms with the
#      replica's files, the log densities by exchange_log_density (the forward map built by
#      LinearForwardMap::from_structure over the mapping files and the .gro names, not the
#      fix's map by particle ID); ln a = -beta dU_AA - beta dU_CG + the log-density ratio with
#      LAMMPS's k_B; exchange_test drop_densities leaves the energy terms alone;
#  (b) after an accepted swap (exchange_test accept_all: even at this size the exact acceptance
#      is below e^-2000, doc/src/fix_backmap_replica.rst), the beads' unwrapped positions are M x (x the replica before, from the second
#      map), the replica's atoms x' satisfy M x' = R with R from a run without the replica (the
#      same step, bit for bit up to it), its velocities are the Maxwell-Boltzmann draws by atom
#      ID (keyed_random written again here), its total momentum kept; after rejected attempts
#      (exact) the CG run is bit for bit the run without the replica, and the replica's state
#      before and after each attempt (its own write_dump) is the same to the last bit;
#  (c) 1, 2 and 4 ranks give the same attempts and acceptances, and the same energies and
#      log densities to round-off (1e-10 relative); the backmap mu(R) (network, hydrogens, minimisation) is a
#      function of R alone: with the beads held still, every attempt and every rank count
#      gives it to the last bit;
#  (d) a run split by write_restart/read_restart continues the exchange as the whole run does;
#  and settings that cannot work are refused when the fix is defined, naming the keyword.
# usage: replica_exchange.sh BACKMAP LMP MODEL STRUCTURE LOG_DENSITY MAPPING WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; model="$3"; structure="$4"; log_density="$5"; mapping="$6"; work="$7"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
awk '$1 == "ATOM" && substr($0, 23, 4) + 0 <= 3' "$structure" > tripeptide.pdb
"$backmap" map tripeptide.pdb -o cg.data --elastic-network > /dev/null
run() {  # run NP NAME: in.NAME on NP ranks
  mpirun --allow-run-as-root --oversubscribe -np "$1" "$lmp" -in "in.$2" -log "log.$2" -screen none \
    || { tail -20 "log.$2"; exit 1; }
}
# the elastic-network CG tripeptide (Martini's special_bonds, soft excluded volume, 10 fs steps),
# re-neighboured every step so that a run with the replica and one without compare bit for bit
cg_system() {
  cat <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
read_data cg.data
change_box all x delta -12 12 y delta -12 12 z delta -12 12
special_bonds lj 0.0 1.0 1.0
pair_style soft 4.0
pair_coeff * * 2.0
neigh_modify every 1 delay 0 check no
IN
}
cg_dynamics() { echo "velocity all create 300.0 4928459 dist gaussian"; echo "fix integrate all nve"; echo "timestep 10.0"; }
state() { echo "write_dump all custom $1 id x y z ix iy iz vx vy vz modify sort id format float %.17g"; }
exchange_fixes() {  # exchange_fixes NAME MODE
  echo "fix bm all backmap $model topology cg.data every 20 dump $1/bm.pdb"
  echo "fix aa all backmap/replica bm every 20 run 10 forcefield amber99sb-ildn files $1/aa temperature 300 seed 7 exchange 1 width 0.05 width_h 0.04 exchange_test $2 exchange_dump $1/ex"
  echo "thermo_style custom step f_aa[9] f_aa[10] f_aa[11] f_aa[12] f_aa[13] f_aa[14] f_aa[15]"
  echo "thermo_modify format float %.17g"
  echo "thermo 20"
}
exchange_run() {  # exchange_run NAME MODE STEPS...: runs of these lengths, the state after each
  local name="$1" mode="$2"; shift 2
  mkdir -p "$name"
  { cg_system; cg_dynamics; exchange_fixes "$name" "$mode"
    local step=0
    for n in "$@"; do step=$((step + n)); echo "run $n"; state "$name/state$step.dump"
      if [ "$step" = 40 ]; then echo "write_restart $name/state40.restart"; fi; done; } > "in.$name"
}

# the runs
exchange_run exact1 exact 20 20
exchange_run exact2 exact 20 20
exchange_run drop1 drop_densities 20
exchange_run accept1 accept_all 20 20 20
exchange_run accept2 accept_all 20 20 20
exchange_run accept4 accept_all 20 20 20
# the beads held still (no integrator): R is the same at every attempt and on every rank count
for np in 1 2; do
  mkdir -p "still$np"
  { cg_system; exchange_fixes "still$np" exact; echo "run 40"; } > "in.still$np"
done
mkdir -p plain
{ cg_system; cg_dynamics; echo "thermo 20"; echo "run 20"; state plain/state20.dump; echo "run 20"; state plain/state40.dump; } > in.plain
mkdir -p restarted
{ echo "read_restart accept1/state40.restart"; echo "special_bonds lj 0.0 1.0 1.0"; echo "pair_style soft 4.0"
  echo "pair_coeff * * 2.0"; echo "neigh_modify every 1 delay 0 check no"; echo "fix integrate all nve"
  exchange_fixes restarted accept_all; echo "run 20"; } > in.restarted
run 1 plain; run 1 exact1; run 1 drop1; run 1 accept1; run 2 exact2; run 2 accept2; run 4 accept4
run 1 restarted; run 1 still1; run 2 still2

# (a) energies by separate LAMMPS reruns of the dumped configurations
cat > in.cg_energy <<IN
$(cg_system)
thermo_style custom step pe
thermo_modify format float %.17g
thermo 1
rerun \${dump} dump x y z
IN
cat > in.aa_energy <<IN
include exact1/aa.settings
read_data exact1/aa.data
include exact1/aa.coeffs
thermo_style custom step pe
thermo_modify format float %.17g
thermo 1
rerun \${dump} dump x y z
IN
rows() { awk '/^ *Step/ {on = 1; next} on && /^ *[0-9]+ / {print} /^Loop/ {on = 0}' "$1"; }
for f in cg_current cg_proposed; do
  "$lmp" -in in.cg_energy -var dump "exact1/ex.$f.dump" -log "log.energy_$f" -screen none; rows "log.energy_$f" > "energy_$f"
done
for f in aa_current aa_proposed; do
  "$lmp" -in in.aa_energy -var dump "exact1/ex.$f.dump" -log "log.energy_$f" -screen none; rows "log.energy_$f" > "energy_$f"
done
for name in exact1 exact2 drop1 accept1 accept2 accept4 restarted; do rows "log.$name" > "rows.$name"; done
# log densities (and the forward map) by the second path
for name in exact1 accept1; do
  for step in 20 40; do
    "$log_density" "$name/aa.gro" "$name/ex" $step 0.05 0.04 "$mapping" > "$name/log_density$step"
  done
done

python3 - <<'PY'
import math

KB, MVV2E = 0.0019872067, 48.88821291 * 48.88821291    # LAMMPS units real
BETA = 1 / (KB * 300)

def table(path):
    return [list(map(float, l.split())) for l in open(path)]

def thermo(name):
    """step -> [attempts, applied, mean probability, dU_AA, dU_CG, ln q ratio, ln a]"""
    return {int(r[0]): r[1:] for r in table(f"rows.{name}")}

def state(path):
    """id -> [x, y, z, ix, iy, iz, vx, vy, vz] and the box lengths, from write_dump"""
    lines = open(path).read().splitlines()
    n = int(lines[3])
    box = [float(l.split()[1]) - float(l.split()[0]) for l in lines[5:8]]
    return {int(l.split()[0]): list(map(float, l.split()[1:])) for l in lines[9:9 + n]}, box

def snapshots(path):
    """[(step, {id: columns after the ID})] for every snapshot of a dump, in order"""
    out, lines, i = [], open(path).read().splitlines(), 0
    while i < len(lines):
        step, n = int(lines[i + 1]), int(lines[i + 3])
        out.append((step, {int(l.split()[0]): list(map(float, l.split()[1:])) for l in lines[i + 9:i + 9 + n]}))
        i += 9 + n
    return out

def unwrapped(s, box):
    return {i: [r[k] + r[3 + k] * box[k] for k in range(3)] for i, r in s.items()}

def second_path(name, step):
    """ln q(x | M x), ln q(x' | R), and per bead M x, M x' in map_to_cg's order"""
    lines = open(f"{name}/log_density{step}").read().splitlines()
    q = list(map(float, lines[0].split()))
    beads = [list(map(float, l.split()[-6:])) for l in lines[1:]]
    return q, [b[:3] for b in beads], [b[3:] for b in beads]

def worst(a, b):
    return max(abs(x - y) for u, v in zip(a, b) for x, y in zip(u, v))

# (a) the parts of ln a, attempt by attempt
exact = thermo("exact1")
energies = {f: {int(r[0]): r[1] for r in table(f"energy_{f}")} for f in ("cg_current", "cg_proposed", "aa_current", "aa_proposed")}
for step in (20, 40):
    attempts, applied, mean_p, d_aa, d_cg, d_q, ln_a = exact[step]
    assert attempts == step / 20 and applied == 0, exact[step]
    d_aa_rerun = energies["aa_proposed"][step] - energies["aa_current"][step]
    d_cg_rerun = energies["cg_proposed"][step] - energies["cg_current"][step]
    (q_current, q_proposed), _, _ = second_path("exact1", step)
    ln_a_parts = -BETA * d_aa_rerun - BETA * d_cg_rerun + (q_current - q_proposed)
    print(f"step {step}: dU_AA fix {d_aa:.10g} rerun {d_aa_rerun:.10g}; dU_CG fix {d_cg:.10g} rerun {d_cg_rerun:.10g}; "
          f"ln q ratio fix {d_q:.10g} second path {q_current - q_proposed:.10g}; ln a fix {ln_a:.10g} from the parts {ln_a_parts:.10g}")
    assert abs(d_aa - d_aa_rerun) <= 1e-6 * max(1.0, abs(energies["aa_proposed"][step])), (d_aa, d_aa_rerun)
    assert abs(d_cg - d_cg_rerun) <= 1e-9 * max(1.0, abs(energies["cg_proposed"][step])), (d_cg, d_cg_rerun)
    assert abs(d_q - (q_current - q_proposed)) <= 1e-9 * max(1.0, abs(q_current), abs(q_proposed)), (d_q, q_current, q_proposed)
    assert abs(ln_a - ln_a_parts) <= 1e-6 * abs(ln_a), (ln_a, ln_a_parts)
    assert ln_a < -100 and mean_p < 1e-40, exact[step]    # no swap is accepted at any width (bench/README.md)
drop = thermo("drop1")[20]
assert drop[5] == 0.0 and abs(drop[6] + BETA * (drop[3] + drop[4])) <= 1e-12 * abs(drop[6]), drop
assert abs(drop[3] - exact[20][3]) <= 1e-9 * abs(exact[20][3]), (drop, exact[20])    # the same trial
print("drop_densities: ln a is the energy terms alone:", drop[6])

# (b) rejected: the CG run is the run without the replica, bit for bit; the replica unchanged
for step in (20, 40):
    assert state(f"exact1/state{step}.dump")[0] == state(f"plain/state{step}.dump")[0], f"CG state at step {step}"
# (the replica's own write_dump, before and after each attempt; its steps are its own)
before, after = snapshots("exact1/ex.replica_before.dump"), snapshots("exact1/ex.replica_after.dump")
assert len(before) == len(after) == 2, (len(before), len(after))
for k in range(2):
    assert before[k] == after[k], f"the replica's state changed by rejected attempt {k + 1}"
print("rejected attempts: CG states at steps 20 and 40 equal the run without the replica; replica unchanged, bit for bit")

# (b) accepted at step 20
cg20, box = state("accept1/state20.dump")
plain20, _ = state("plain/state20.dump")
_, mx, mxp = second_path("accept1", 20)
ids = sorted(cg20)
assert len(mx) == len(ids), (len(mx), len(ids))
beads_after = unwrapped(cg20, box)
r_before = unwrapped(plain20, box)
d1 = worst([beads_after[i] for i in ids], mx)
d2 = worst([r_before[i] for i in ids], mxp)
print(f"accepted: CG beads vs M x {d1:.1e} A; M x' vs R (run without the replica) {d2:.1e} A")
assert d1 < 1e-9 and d2 < 1e-9, (d1, d2)
(step, xp), = snapshots("accept1/ex.aa_proposed.dump")[:1]
assert step == 20, step
rb, ra = snapshots("accept1/ex.replica_before.dump")[0][1], snapshots("accept1/ex.replica_after.dump")[0][1]
ra_unwrapped = {i: [r[1 + k] + r[4 + k] * box[k] for k in range(3)] for i, r in ra.items()}
d3 = worst([ra_unwrapped[i] for i in sorted(xp)], [xp[i] for i in sorted(xp)])
print(f"accepted: the replica's atoms vs the sampled x' {d3:.1e} A")
assert d3 < 1e-9, d3
# velocities: keyed Gaussians (seed 7, step 20, atom ID, components 3-5) at 300 K, shifted to
# keep the replica's momentum
M64 = (1 << 64) - 1
def mix(x):
    x = (x + 0x9e3779b97f4a7c15) & M64
    x = ((x ^ (x >> 30)) * 0xbf58476d1ce4e5b9) & M64
    x = ((x ^ (x >> 27)) * 0x94d049bb133111eb) & M64
    return x ^ (x >> 31)
def uniform(seed, stream, key, c):
    return ((mix(mix(mix(mix(seed) ^ stream) ^ key) ^ c) >> 11) + 0.5) * 2.0 ** -53
def gaussian(seed, stream, key, c):
    return math.sqrt(-2 * math.log(uniform(seed, stream, key, 2 * c))) * math.cos(2 * math.pi * uniform(seed, stream, key, 2 * c + 1))
masses, section = {}, None
for l in open("accept1/aa.data").read().splitlines()[1:]:
    words = l.split()
    if words and not words[0].isdigit() and not words[0].startswith("-"):
        section = words[0]
    elif words and section == "Masses":
        masses[int(words[0])] = float(words[1])
    elif words and section == "Atoms":    # id molecule type charge x y z
        masses[("atom", int(words[0]))] = masses[int(words[2])]
m = {i: masses[("atom", i)] for i in rb}
v = {i: [math.sqrt(KB * 300 / (m[i] * MVV2E)) * gaussian(7, 20, i, d + 3) for d in range(3)] for i in rb}
total = sum(m.values())
for d in range(3):
    shift = (sum(m[i] * rb[i][7 + d] for i in rb) - sum(m[i] * v[i][d] for i in rb)) / total
    for i in rb:
        v[i][d] += shift
dv = max(abs(ra[i][7 + d] - v[i][d]) for i in rb for d in range(3))
print(f"accepted: the replica's velocities vs keyed Maxwell-Boltzmann draws {dv:.1e} A/fs")
assert dv < 1e-12, dv
for d in range(3):
    p_before = sum(m[i] * rb[i][7 + d] for i in rb)
    p_after = sum(m[i] * ra[i][7 + d] for i in rb)
    assert abs(p_after - p_before) < 1e-9, (p_before, p_after)

# (c) 1, 2 and 4 ranks: attempts and swaps exactly; the energies and log densities to 1e-10
# relative (measured 2.1e-12 at most, 2026-12-02): the replica's energies and its MD between
# attempts are sums that a domain-decomposed LAMMPS adds rank by rank (doc/src/fix_backmap_replica.rst)
def same(a, b, what):
    assert sorted(a) == sorted(b), (what, sorted(a), sorted(b))
    worst = 0.0
    for step in a:
        assert a[step][:2] == b[step][:2], (what, step, a[step], b[step])
        for k in range(2, 7):
            worst = max(worst, abs(a[step][k] - b[step][k]) / max(1.0, abs(a[step][k])))
            assert abs(a[step][k] - b[step][k]) <= 1e-10 * max(1.0, abs(a[step][k])), (what, step, k, a[step], b[step])
    print(f"{what}: largest relative difference {worst:.1e}")
same(exact, thermo("exact2"), "exact, 2 ranks")
same(thermo("accept1"), thermo("accept2"), "accept_all, 2 ranks")
same(thermo("accept1"), thermo("accept4"), "accept_all, 4 ranks")
print("1, 2 and 4 ranks: the same attempts, swaps, energies and log densities")

still = [snapshots(f"still{np}/ex.backmap_current.dump") for np in (1, 2)]
assert [s for s, _ in still[0]] == [20, 40] and still[0] == still[1], "mu(R) depends on the rank count"
assert still[0][0][1] == still[0][1][1], "mu(R) of the same R differs between attempts"
assert snapshots("still1/ex.cg_current.dump")[0][1] == snapshots("still2/ex.cg_current.dump")[1][1]
print("mu(R) with the beads held still: the same at both attempts and on 1 and 2 ranks, bit for bit")

# (d) restart: the step-60 attempt after read_restart is the whole run's
whole, restarted = thermo("accept1"), thermo("restarted")
same({60: whole[60]}, {60: restarted[60]}, "restarted at step 40")
print("restart: step 60 as in the whole run:", " ".join(f"{v:.10g}" for v in restarted[60]))
PY
# refusals, when the fix is defined
# proposal hessian on the tripeptide (its NH3+, MET CE, ILE CG2 and CD1 hydrogens are four
# rotors): the same attempts, to the logged digits, on 1 and 2 ranks
for np in 1 2; do
  mkdir -p "hessian$np"
  { cg_system; cg_dynamics; echo "fix bm all backmap $model topology cg.data every 20 dump hessian$np/bm.pdb"
    echo "fix aa all backmap/replica bm every 20 run 10 forcefield amber99sb-ildn files hessian$np/aa temperature 300 seed 7 exchange 1 proposal hessian width 0.3"
    echo "run 40"; } > "in.hessian$np"
  run "$np" "hessian$np"
  grep -o 'exchange at step .*: \(accepted\|rejected\)' "log.hessian$np" > "hessian$np/attempts"
done
grep -q "Hessian proposal, softest modes 0.3 A, 4 rotors" log.hessian1 || { echo "FAIL: not the four rotors"; grep "resolution exchange" log.hessian1; exit 1; }
[ "$(wc -l < hessian1/attempts)" = 2 ] || { echo "FAIL: $(wc -l < hessian1/attempts) Hessian-proposal attempts, not 2"; exit 1; }
cmp hessian1/attempts hessian2/attempts || { echo "FAIL: the Hessian proposal's attempts differ on 2 ranks"; exit 1; }
echo "proposal hessian: 4 rotors, the same 2 attempts on 1 and 2 ranks: $(cut -d: -f2- hessian1/attempts | tr '\n' ';')"

refused() {  # refused EXTRA MESSAGE
  { cg_system; echo "fix bm all backmap $model topology cg.data every 20 dump refused.pdb"
    echo "fix aa all backmap/replica bm every 20 run 10 forcefield amber99sb-ildn files refused/aa $1"; } > in.refused
  if "$lmp" -in in.refused -log log.refused -screen none; then echo "accepted: $1"; exit 1; fi
  grep -q "$2" log.refused || { tail -3 log.refused; exit 1; }
}
refused "exchange 1 feedback seed" "feedback seed and exchange both change the CG run"
refused "exchange_test accept_all" "exchange_test and exchange_dump need exchange K"
refused "exchange 1 width 0" "width must be positive (A), not 0"
refused "exchange 1 width_h -0.1" "width_h must be positive (A), not -0.1"
refused "exchange 1 proposal gaussian" "proposal must be isotropic or hessian, not gaussian"
refused "exchange 1 proposal hessian width_h 0.04" "proposal hessian has one width"
refused "exchange 1 proposal hessian rotors maybe" "rotors must be yes or no, not maybe"
refused "exchange 1 exchange_test maybe" "exchange_test must be exact, drop_densities or accept_all, not maybe"
echo "replica exchange: passed"
