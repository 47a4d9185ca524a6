#!/usr/bin/env bash
# `backmap lammps-system` on martinize2's own outputs: every Martini 3 case (-ff martini3001) of
# vermouth-martinize's integration tests (vermouth/tests/data/integration_tests, fetched outside
# this repository), its .top/.itp files as martinize2 wrote them and its cg.pdb (made a .gro
# with a box by gmx editconf). LAMMPS run 0 on the converted files against gmx grompp + mdrun
# of 0 steps on the same files (Martini 3's run parameters, continuation = yes so that the start
# is not constrained; mdrun builds the virtual sites where the LAMMPS files put them, which
# GROMACS 2022's -rerun does not; constraint bonds set to zero in LAMMPS, as GROMACS does not
# count constraints), term by term: bonds, angles, dihedrals (proper and improper together: a
# signed improper is a LAMMPS dihedral) and the potential. Prints one row per case and the
# largest relative difference of the potential; exit status 1 if a case fails or differs by
# more than 1e-3 of its potential.
# usage: bash bench/lammps_system_martinize2.sh TESTS_DIR [WORKDIR]
#   e.g. TESTS_DIR=/tmp/vit/vermouth/tests/data/integration_tests
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tests="$(cd "$1" && pwd)"; work="${2:-/tmp/lammps_system_martinize2}"
backmap="$repo/build/bin/backmap"; lmp="$repo/build/bin/lmp"
martini="${MARTINI_DIR:-$repo/../shared/data/forcefields/martini3}"
gmx_mdrun="$(bash "$repo/unittest/gmx_command.sh")"
source "$repo/unittest/tools/martini_gromacs.sh"
[ -x "$backmap" ] && [ -x "$lmp" ] || { echo "build first: bash tools/setup.sh"; exit 2; }
[ -f "$martini/martini_v3.0.0.itp" ] || { echo "no Martini 3 itps in $martini (MARTINI_DIR)"; exit 2; }
rm -rf "$work" && mkdir -p "$work/include"
# martinize2's .top includes "martini.itp": Martini 3.0.0's core file under that name
ln -s "$martini/martini_v3.0.0.itp" "$work/include/martini.itp"
martini_single_point_mdp "include = -I$work/include" > "$work/rerun.mdp"
status=0
printf '%-34s %6s %12s %12s %9s  %s\n' case atoms gromacs lammps relative "largest term difference"
for dir in "$tests"/*/*/martinize2; do
  grep -q martini3001 "$dir/command" 2> /dev/null || continue
  name="$(basename "$(dirname "$dir")")"
  top="$(ls "$dir"/topol.top "$dir"/cg.top 2> /dev/null | head -n1)"
  case_dir="$work/$name"; mkdir -p "$case_dir"; cp "$dir"/*.itp "$top" "$case_dir/"; cd "$case_dir"
  top="$(basename "$top")"
  gmx -quiet editconf -f "$dir/cg.pdb" -o cg.gro -d 3 -bt cubic > editconf.log 2>&1 || { echo "$name: editconf failed"; status=1; continue; }
  if ! "$backmap" lammps-system "$top" cg.gro -I "$work/include" -o lmp/sys --json > summary.json 2> convert.err; then
    # an input that grompp refuses too is incomplete here (e.g. Go atom types that only a
    # GoMartini-edited martini.itp would include), not a conversion failure
    if ! gmx -quiet grompp -f "$work/rerun.mdp" -c cg.gro -p "$top" -o check.tpr -maxwarn 2 > grompp.log 2>&1; then
      printf '%-34s not run: grompp refuses it too (%s); we said: %s\n' "$name" \
        "$(grep -m1 -A1 '^ERROR' grompp.log | tail -n1 | cut -c1-70)" "$(cut -c1-80 convert.err)"
    else
      printf '%-34s refused: %s\n' "$name" "$(cat convert.err)"; status=1
    fi
    continue
  fi
  python3 - summary.json > in.rerun <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
off = "".join(f"bond_coeff      {t} 0.0 1.0\n" for t in j["constraint_bond_types"])
print(f"""include         lmp/sys.settings
read_data       lmp/sys.data
include         lmp/sys.coeffs
{off}compute         angle all angle/local theta eng
compute         angle_type all property/local atype
dump            angles all local 1 angles.txt c_angle_type c_angle[1] c_angle[2]
dump_modify     angles format float %.12g
thermo_style    custom step pe ebond eangle edihed eimp evdwl ecoul
run             0
print           "ENERGY pe $(pe:%.12g) ebond $(ebond:%.12g) eangle $(eangle:%.12g) edihed $(edihed:%.12g) eimp $(eimp:%.12g)"
""")
PY
  "$lmp" -in in.rerun -log lammps.log -screen none > /dev/null 2>&1 || { echo "$name: LAMMPS failed (lammps.log)"; status=1; continue; }
  { gmx -quiet grompp -f "$work/rerun.mdp" -c cg.gro -p "$top" -o rerun.tpr -maxwarn 2 &&
    $gmx_mdrun -quiet mdrun -s rerun.tpr -nt 1 -e ener.edr -g md.log -c after.gro &&
    gromacs_energies_json ener.edr > energies.json; } > gromacs.log 2>&1 || { echo "$name: GROMACS failed (gromacs.log)"; status=1; continue; }
  python3 - "$name" summary.json lammps.log energies.json <<'PY' || status=1
import json, re, sys
name, summary, log, energies = sys.argv[1:]
j = json.load(open(summary))
w = re.search(r"^ENERGY (.*)$", open(log).read(), re.M).group(1).split()
lmp = {w[i]: float(w[i + 1]) for i in range(0, len(w), 2)}
gmx = json.load(open(energies))    # kcal/mol
g = lambda *k: sum(gmx.get(x, 0.0) for x in k)
pe = lmp["pe"] + j["coulomb_self_energy_kcal_mol"] + j["dihedral_constant_energy_kcal_mol"]
terms = {"bonds": (g("Bond"), lmp["ebond"]), "angles": (g("G96Angle", "Angle", "Restr. Angles"), lmp["eangle"]),
         "dihedrals": (g("Proper Dih.", "Improper Dih."), lmp["edihed"] + lmp["eimp"] + j["dihedral_constant_energy_kcal_mol"])}
# restricted bending is a table in LAMMPS that turns into a straight wall past 1000 kcal/mol
# (lammps_angle_table.h); an angle on that wall (a bead triple nearly straight, as in unrelaxed
# mapped structures) gets there the exact V = k/2 (cos t - cos t0)^2 / sin^2 t instead
import math
rb = {}
for line in open("lmp/sys.coeffs"):
    f = line.split()
    if f[:1] == ["angle_coeff"] and len(f) > 4 and f[2] == "table" and f[4].startswith("RB_"):
        t0, k = f[4][3:].split("_")
        rb[int(f[1])] = (float(t0), float(k))
wall, on_wall, rows = 0.0, [], open("angles.txt").read().split("ITEM: ENTRIES")[1].split("\n")[1:]
for row in rows:
    f = row.split()
    if len(f) < 3 or int(f[0]) not in rb: continue
    theta, table = float(f[1]), float(f[2])
    if table < 1000.0: continue
    t0, k = rb[int(f[0])]
    t = math.radians(theta)
    exact = k / 2 * (math.cos(t) - math.cos(math.radians(t0))) ** 2 / math.sin(t) ** 2 / 4.184
    wall += exact - table
    on_wall.append(theta)
terms["angles"] = (terms["angles"][0], terms["angles"][1] + wall)
pe += wall
worst = max(terms.items(), key=lambda t: abs(t[1][0] - t[1][1]))
rel = abs(gmx["Potential"] - pe) / abs(gmx["Potential"])
note = f"; {len(on_wall)} angle(s) on the table's wall ({', '.join(f'{t:.2f}' for t in on_wall)} deg) counted exactly" if on_wall else ""
print(f"{name:<34} {j['atoms']:6d} {gmx['Potential']:12.4f} {pe:12.4f} {rel:9.2e}  {worst[0]} {worst[1][0]:.4f} / {worst[1][1]:.4f}{note}")
sys.exit(0 if rel <= 1e-3 else 1)
PY
done
exit $status
