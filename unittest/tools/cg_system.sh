#!/usr/bin/env bash
# Tool-level test: `backmap cg-system` turns 72 POPC mapped to Martini 3 beads (NMRlipids,
# CHARMM36) into a solvated Martini 3 system. LAMMPS runs the files it wrote (run 0, a short
# minimisation and 20 steps of 20 fs), and the energies of run 0 equal GROMACS's mdrun -rerun on
# the same .top/.gro with Martini 3's run parameters (reaction-field, epsilon-r 15, rc 1.1 nm,
# potential-shift) term by term; the data file names every bead as fix backmap reads it; a
# molecule the itps lack, beads that are not the itp's and the mapping's 8-bead cholesterol
# (Martini 3 CHOL has 9) are refused naming the residue, with no file left.
# usage: cg_system.sh BACKMAP LMP SHARED_DATA WORKDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/martini_gromacs.sh"
backmap="$1"; lmp="$2"; shared="$3"; work="$4"
lipids="$shared/lipids/nmrlipids/POPCpure_popcRUN3.gro.gz"
cholesterol="$shared/lipids/nmrlipids/POPCchol_50pct_POPC_50CHOL.gro.gz"
martini="$shared/forcefields/martini3"
if [ ! -f "$lipids" ] || [ ! -f "$martini/martini_v3.0.0.itp" ]; then
  echo "cg_system: skipped ($lipids or $martini/martini_v3.0.0.itp not present)"; exit 0
fi
command -v gmx > /dev/null || { echo "gmx (Debian's gromacs) is needed"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$backmap" map "$lipids" -o cg.gro > /dev/null
"$backmap" cg-system cg.gro -o sys/popc --martini-dir "$martini" --solvate --ions 4 --json > summary.json
( cd sys && ls ) > files.txt

# LAMMPS (from here: the files name each other by the paths cg-system was given): run 0 with
# the terms GROMACS reports, then minimise and 20 steps of 20 fs
cat > in.check <<'LMP'
include         sys/popc.settings
read_data       sys/popc.data
include         sys/popc.coeffs
compute         lj all pair lj/cut/coul/cut evdwl
compute         coul all pair lj/cut/coul/cut ecoul
compute         rf all pair table evdwl
thermo_style    custom step pe ebond eangle c_lj c_coul c_rf
run             0
print           "ENERGY pe $(pe:%.10g) ebond $(ebond:%.10g) eangle $(eangle:%.10g) lj $(c_lj:%.10g) coul $(c_coul:%.10g) rf $(c_rf:%.10g)"
neighbor        3.0 bin
neigh_modify    delay 0 every 1 check yes
min_modify      norm max
minimize        1.0e-4 1.0e-6 500 5000
reset_timestep  0
timestep        20.0
velocity        all create 310.0 4928459 dist gaussian
fix             md all nve
thermo_style    custom step temp pe
thermo          10
run             20
print           "AFTER pe $(pe:%.10g) temp $(temp:%.6g)"
LMP
"$lmp" -in in.check -log lammps.log -screen none > lammps.out 2>&1 || { tail -20 lammps.log; exit 1; }

# GROMACS: the same .top/.gro, single point
cd sys
martini_single_point_mdp > rerun.mdp
{ gmx -quiet grompp -f rerun.mdp -c popc.gro -p popc.top -o rerun.tpr -maxwarn 1 &&
  $(bash "$here/../gmx_command.sh") -quiet mdrun -s rerun.tpr -rerun popc.gro -nt 1 -e ener.edr -g md.log &&
  gromacs_energies_json ener.edr > energies.json; } > gromacs.log 2>&1 || { tail -20 gromacs.log; exit 1; }
cd ..

python3 - summary.json lammps.log sys/energies.json sys/popc.data sys/popc.gro files.txt <<'PY'
import json, re, sys
summary, log, energies, data, gro, files = sys.argv[1:]
j = json.load(open(summary))
molecules = {m["name"]: m["count"] for m in j["molecules"]}
assert molecules["POPC"] == 72 and molecules["NA"] == 4 and molecules["CL"] == 4, molecules
assert molecules["W"] == j["water_beads"] > 300 and abs(j["total_charge"]) < 1e-9, j
assert j["beads"] == 864 + j["water_beads"] + 8, j
listed = set(open(files).read().split())
assert listed == {"popc.top", "popc.gro", "popc.settings", "popc.data", "popc.coeffs", "popc.table"}, listed
# LAMMPS
text = open(log).read()
m = re.search(r"^ENERGY (.*)$", text, re.M)
assert m, "no ENERGY line in " + log
w = m.group(1).split()
lmp = {w[i]: float(w[i + 1]) for i in range(0, len(w), 2)}
after = re.search(r"^AFTER pe (\S+) temp (\S+)$", text, re.M)
assert after and float(after.group(1)) < lmp["pe"] and 100 < float(after.group(2)) < 1000, after and after.group(0)
# GROMACS
gmx = json.load(open(energies))    # kcal/mol
g = lambda name: gmx.get(name, 0.0)
self_energy = j["coulomb_self_energy_kcal_mol"]
terms = [("Bond", g("Bond"), lmp["ebond"]),
         ("G96Angle + Angle", g("G96Angle") + g("Angle"), lmp["eangle"]),
         ("LJ (SR)", g("LJ (SR)"), lmp["lj"]),
         ("Coulomb (SR)", g("Coulomb (SR)"), lmp["coul"] + lmp["rf"] + self_energy),
         ("Potential", g("Potential"), lmp["pe"] + self_energy)]
print(f'{"term":<18} {"gromacs":>14} {"lammps":>14} (kcal/mol)')
bad = []
for name, a, b in terms:
    print(f"{name:<18} {a:14.4f} {b:14.4f}")
    if not (abs(a - b) <= 0.01 or abs(a - b) <= 1e-3 * abs(a)): bad.append(name)
assert "Potential" in gmx or g("Potential") != 0.0, "no GROMACS energies"
assert not bad, "LAMMPS differs from GROMACS in " + ", ".join(bad)
# the data file names every bead as fix backmap reads it: "# CHAIN RESNUM RESNAME BEAD", as the .gro
beads = []
lines = open(gro).read().splitlines()
for line in lines[2:2 + int(lines[1])]:
    beads.append(("-", line[:5].strip(), line[5:10].strip(), line[10:15].strip()))
named, on = [], False
for line in open(data):
    if line.startswith("Atoms"): on = True; continue
    if on and line[:1].isalpha(): break
    if on and line.strip():
        named.append(tuple(line.split("#")[1].split()))
assert named == beads, next((a, b) for a, b in zip(named, beads) if a != b) if len(named) == len(beads) else (len(named), len(beads))
print(f"cg-system: {j['beads']} beads ({j['water_beads']} W), LAMMPS run 0 equals GROMACS; "
      f"minimised and 20 steps: pe {after.group(1)} kcal/mol, T {after.group(2)} K")
PY

# refused, naming the residue, exit code 2, and no file left
refuse() {    # NAME INPUT EXPECTED-TEXT
  if "$backmap" cg-system "$2" -o "bad-$1/system" --martini-dir "$martini" --solvate 2> "bad-$1.err" > /dev/null; then
    echo "$1: accepted"; exit 1
  fi
  grep -q -- "$3" "bad-$1.err" || { echo "$1: message lacks '$3':"; cat "bad-$1.err"; exit 1; }
  [ -z "$(ls -A "bad-$1" 2> /dev/null)" ] || { echo "$1: files left:"; ls -A "bad-$1"; exit 1; }
  echo "$1 refused: $(cat "bad-$1.err")"
}
sed '3,14s/POPC/POPX/' cg.gro > unknown.gro
refuse unknown unknown.gro "residue POPX 1 .*no Martini 3 molecule"
sed '14s/ C4B/ C5B/' cg.gro > beads.gro
refuse beads beads.gro "residue POPC 1 .*beads .* are not the itp's"
if [ -f "$cholesterol" ]; then
  "$backmap" map "$cholesterol" -o chol.gro > /dev/null
  refuse cholesterol chol.gro "residue CHL1 81 .*older 8-bead model; Martini 3 CHOL has R6"
fi
# a failure after the first file was written (here grompp's reading of a damaged POPC [ bonds ]
# line, which the residue checks do not read) takes every output with it
mkdir -p damaged
for f in "$martini"/*.itp; do ln -s "$f" damaged/; done
rm damaged/martini_v3.0.0_phospholipids_v1.itp
awk '/^[ \t]*POPC[ \t]+1[ \t]*$/ {popc = 1} popc && /^[ \t]*1[ \t]+2[ \t]+1[ \t]+0.40/ {sub(/0.40/, "0.4O"); popc = 0} {print}' \
  "$martini/martini_v3.0.0_phospholipids_v1.itp" > damaged/martini_v3.0.0_phospholipids_v1.itp
if "$backmap" cg-system cg.gro -o bad-late/system --martini-dir damaged --solvate 2> bad-late.err > /dev/null; then
  echo "damaged itp: accepted"; exit 1
fi
grep -q "martini_v3.0.0_phospholipids_v1.itp:" bad-late.err || { echo "damaged itp: message lacks the file:"; cat bad-late.err; exit 1; }
[ -z "$(ls -A bad-late 2> /dev/null)" ] || { echo "damaged itp: files left:"; ls -A bad-late; exit 1; }
echo "damaged itp refused: $(cat bad-late.err)"
echo "cg_system: passed"
