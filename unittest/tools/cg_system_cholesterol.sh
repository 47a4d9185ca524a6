#!/usr/bin/env bash
# Tool-level test: Martini 3 cholesterol (five virtual_sites3 "3out" sites on a constrained
# triangle, an improper with xi0 = -70) in LAMMPS as rigid bodies. An NMRlipids CHARMM36 bilayer,
# POPC + 20 % cholesterol, is mapped by `backmap map`; the mapping's cholesterol is the older
# 8-bead model, so each gets a ninth bead R6 (anywhere: it is a site, built by the tools) before
# `backmap cg-system --solvate` writes the GROMACS and LAMMPS files. LAMMPS relaxes the mapped
# bilayer (minimisation with the bodies held, Langevin at 2 to 20 fs) and runs 2000 NVE steps of
# 20 fs with fix rigid/small, whose total-energy drift must stay small; its final state is then
# checked against GROMACS itself (grompp + mdrun -nsteps 0 on the same .top and those positions;
# mdrun builds the sites, -rerun does not): the energies term by term, the sites the bodies carry
# against where GROMACS builds them, the forces on free beads and each body's total force and torque.
# usage: cg_system_cholesterol.sh BACKMAP LMP SHARED_DATA WORKDIR
set -euo pipefail
backmap="$1"; lmp="$2"; shared="$3"; work="$4"
bilayer="$shared/lipids/nmrlipids/POPCchol_20pct_POPC_20CHOL.gro.gz"
martini="$shared/forcefields/martini3"
if [ ! -f "$bilayer" ] || [ ! -f "$martini/martini_v3.0.0_sterols_v1.itp" ]; then
  echo "cg_system_cholesterol: skipped ($bilayer or $martini/martini_v3.0.0_sterols_v1.itp not present)"; exit 0
fi
command -v gmx > /dev/null || { echo "gmx (Debian's gromacs) is needed"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed"; exit 1; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/martini_gromacs.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$backmap" map "$bilayer" -o cg8.gro > /dev/null

# the 8-bead cholesterols refused with the known gap named, then given R6 (a copy of R5's line)
if "$backmap" cg-system cg8.gro -o bad/system --martini-dir "$martini" 2> bad.err > /dev/null; then
  echo "8-bead cholesterol accepted"; exit 1
fi
grep -q "older 8-bead model; Martini 3 CHOL has R6" bad.err || { echo "8-bead message:"; cat bad.err; exit 1; }
python3 - cg8.gro cg.gro <<'PY'
import sys
src, dst = sys.argv[1:]
lines = open(src).read().splitlines()
n = int(lines[1])
atoms = []
for line in lines[2:2 + n]:
    atoms.append(line)
    if line[10:15].strip() == "R5":
        atoms.append(line[:10] + "   R6" + line[15:])
out = [lines[0], str(len(atoms))]
for i, line in enumerate(atoms):
    out.append(line[:15] + "%5d" % ((i + 1) % 100000) + line[20:])
out.append(lines[2 + n])
open(dst, "w").write("\n".join(out) + "\n")
PY
"$backmap" cg-system cg.gro -o sys/bilayer --martini-dir "$martini" --solvate --json > summary.json

# LAMMPS: the relaxation a mapped bilayer needs (minimisation with the bodies held still, then
# Langevin dynamics at 2, 5, 10 and 20 fs), 2000 NVE steps of 20 fs, and the energies, positions
# and forces of the final state
cat > in.check <<'LMP'
include         sys/bilayer.settings
read_data       sys/bilayer.data
include         sys/bilayer.coeffs
compute         lj all pair lj/cut/coul/cut evdwl
compute         coul all pair lj/cut/coul/cut ecoul
compute         rf all pair table evdwl
neighbor        3.0 bin
neigh_modify    delay 0 every 1 check yes
fix             hold rigid_bodies setforce 0.0 0.0 0.0
min_modify      norm max
minimize        1.0e-4 1.0e-6 1000 10000
unfix           hold
reset_timestep  0
velocity        all create 310.0 4928459 dist gaussian
fix             rigid rigid_bodies rigid/small molecule langevin 310.0 310.0 100.0 7391
fix             free free_beads nve
fix             bath free_beads langevin 310.0 310.0 100.0 6151
thermo_style    custom step temp pe etotal
thermo          100
timestep        2.0
run             300
timestep        5.0
run             300
timestep        10.0
run             300
timestep        20.0
run             500
unfix           bath
unfix           rigid
fix             rigid rigid_bodies rigid/small molecule
reset_timestep  0
thermo          20
thermo_modify   format float %.8f
run             2000
thermo_style    custom step pe ebond eangle edihed eimp c_lj c_coul c_rf
run             0
print           "ENERGY pe $(pe:%.10g) ebond $(ebond:%.10g) eangle $(eangle:%.10g) edihed $(edihed:%.10g) eimp $(eimp:%.10g) lj $(c_lj:%.10g) coul $(c_coul:%.10g) rf $(c_rf:%.10g)"
write_dump      all custom final.dump id mol xu yu zu fx fy fz modify sort id format float %.12g
LMP
"$lmp" -in in.check -log lammps.log -screen none > lammps.out 2>&1 || { tail -20 lammps.log; exit 1; }

# GROMACS: the same .top with LAMMPS's final positions (a .g96: nm to 1e-9), grompp and
# mdrun -nsteps 0 (Martini 3's run parameters)
python3 - sys/bilayer.gro final.dump sys/final.g96 <<'PY'
import sys
gro, dump, out = sys.argv[1:]
lines = open(gro).read().splitlines()
n = int(lines[1])
rows, on = [], False
for line in open(dump):
    if line.startswith("ITEM: ATOMS"): on = True; continue
    if on: rows.append(line.split())
assert len(rows) == n, (len(rows), n)
with open(out, "w") as f:
    f.write("TITLE\nLAMMPS's final state (backmap cg_system_cholesterol test)\nEND\nPOSITION\n")
    for i, (line, row) in enumerate(zip(lines[2:2 + n], rows)):
        x = [float(v) / 10.0 for v in row[2:5]]
        f.write("%5d %-5s %-5s%7d%15.9f%15.9f%15.9f\n" % (int(line[:5]), line[5:10].strip(), line[10:15].strip(), i + 1, *x))
    f.write("END\nBOX\n%15.9f%15.9f%15.9f\nEND\n" % tuple(float(v) for v in lines[2 + n].split()[:3]))
PY
cd sys
martini_single_point_mdp "nstxout = 1" "nstfout = 1" > zero.mdp
{ gmx -quiet grompp -f zero.mdp -c final.g96 -p bilayer.top -o zero.tpr -maxwarn 1 &&
  $(bash "$here/../gmx_command.sh") -quiet mdrun -s zero.tpr -nt 1 -e ener.edr -g md.log -o zero.trr -c confout.gro &&
  gromacs_energies_json ener.edr > energies.json && gmx -quiet dump -f zero.trr > frame.txt; } > gromacs.log 2>&1 ||
  { tail -20 gromacs.log; exit 1; }
cd ..

python3 - summary.json lammps.log sys/energies.json final.dump sys/frame.txt sys/bilayer.gro <<'PY'
import json, math, re, sys
summary, log, energies, dump, frame, gro = sys.argv[1:]
j = json.load(open(summary))
molecules = {m["name"]: m["count"] for m in j["molecules"]}
assert molecules["POPC"] == 100 and molecules["CHOL"] == 24 and j["rigid_bodies"] == 24, (molecules, j.get("rigid_bodies"))
text = open(log).read()
w = re.search(r"^ENERGY (.*)$", text, re.M).group(1).split()
lmp = {w[i]: float(w[i + 1]) for i in range(0, len(w), 2)}
gmx = json.load(open(energies))    # kcal/mol
g = lambda name: gmx.get(name, 0.0)
self_energy = j["coulomb_self_energy_kcal_mol"]
# (name, GROMACS, LAMMPS, relative bound; the issue asks for 5e-3)
terms = [("Bond", g("Bond"), lmp["ebond"], 1e-4),
         ("G96Angle + Angle", g("G96Angle") + g("Angle"), lmp["eangle"], 1e-4),
         ("Improper Dih.", g("Improper Dih."), lmp["edihed"] + lmp["eimp"], 1e-4),
         ("LJ (SR)", g("LJ (SR)"), lmp["lj"], 1e-4),
         ("Coulomb (SR)", g("Coulomb (SR)"), lmp["coul"] + lmp["rf"] + self_energy, 1e-4),
         ("Potential", g("Potential"), lmp["pe"] + self_energy, 1e-4)]
print(f'{"term":<18} {"gromacs":>16} {"lammps":>16} {"relative":>10}  (kcal/mol)')
bad = []
for name, a, b, bound in terms:
    rel = (b - a) / abs(a)
    print(f"{name:<18} {a:16.4f} {b:16.4f} {rel:10.2e}  (bound {bound:g})")
    if not abs(rel) <= bound: bad.append(name)
assert abs(g("Improper Dih.")) > 0.1, "no cholesterol improper energy in GROMACS"
assert not bad, "LAMMPS differs from GROMACS in " + ", ".join(bad)

# GROMACS's frame 0 (nm, kJ/mol/nm; the sites built by mdrun) against LAMMPS (A, kcal/mol/A)
def trr_block(name, scale):
    rows, on = [], False
    for line in open(frame):
        if re.match(r"^\s+%s \(\d+x3\):" % name, line): on = True; continue
        if on:
            m = re.match(r"^\s+%s\[\s*\d+\]=\{([^}]*)\}" % name, line)
            if not m: break
            rows.append([float(v) * scale for v in m.group(1).split(",")])
    return rows
gx, gf = trr_block("x", 10.0), trr_block("f", 1 / 41.84)
rows, on = [], False
for line in open(dump):
    if line.startswith("ITEM: ATOMS"): on = True; continue
    if on: rows.append([float(v) for v in line.split()])
mol = [int(r[1]) for r in rows]; lx = [r[2:5] for r in rows]; lf = [r[5:8] for r in rows]
n = j["beads"]
assert len(lx) == len(gx) == n, (len(lx), len(gx), n)
atoms = open(gro).read().splitlines()[2:2 + n]
names = [l[10:15].strip() for l in atoms]; resn = [l[5:10].strip() for l in atoms]
sites = [i for i in range(n) if resn[i] == "CHOL" and names[i] in ("ROH", "R3", "R4", "R5", "R6")]
body = [i for i in range(n) if resn[i] == "CHOL" and names[i] != "C2"]
free = sorted(set(range(n)) - set(body))
diff = lambda a, b: max(abs(a[k] - b[k]) for k in range(3))
# GROMACS puts atoms into the box: positions compared to the nearest image
box = [float(v) * 10.0 for v in open(gro).read().splitlines()[2 + n].split()[:3]]
image = lambda a, b: max(abs(a[k] - b[k] - box[k] * round((a[k] - b[k]) / box[k])) for k in range(3))
site_error = max(image(lx[i], gx[i]) for i in sites)
other_error = max(image(lx[i], gx[i]) for i in range(n) if i not in set(sites))
print(f"positions: {len(sites)} virtual sites carried by the bodies within {site_error:.2e} A of where GROMACS builds them "
      f"(other beads {other_error:.2e} A: the .g96's rounding and single precision)")
assert len(sites) == 24 * 5 and site_error < 5e-4, site_error
# forces: beads outside the bodies one by one; each body's total force and torque (GROMACS spreads
# a site's force onto R1, R2, C1, keeping both)
free_error = max(diff(lf[i], gf[i]) for i in free)
largest = max(max(abs(v) for v in gf[i]) for i in free)
cross = lambda a, b: [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
force_error = torque_error = torque_largest = 0.0
for m in sorted(set(mol[i] for i in body)):
    members = [i for i in body if mol[i] == m]
    centre = [sum(lx[i][k] for i in members) / len(members) for k in range(3)]
    total = lambda f: [sum(f[i][k] for i in members) for k in range(3)]
    torque = lambda f: [sum(cross([lx[i][k] - centre[k] for k in range(3)], f[i])[c] for i in members) for c in range(3)]
    force_error = max(force_error, diff(total(lf), total(gf)))
    tl, tg = torque(lf), torque(gf)
    torque_error = max(torque_error, diff(tl, tg))
    torque_largest = max(torque_largest, max(abs(v) for v in tg))
print(f"forces: free beads within {free_error:.2e} kcal/mol/A (largest component {largest:.1f}); bodies' total force "
      f"within {force_error:.2e} kcal/mol/A, torque within {torque_error:.2e} kcal/mol (largest {torque_largest:.1f})")
assert free_error < 2e-3 and force_error < 2e-3 and torque_error < 1e-2, (free_error, force_error, torque_error)

# NVE: the drift of the total energy over the 2000 steps of 20 fs (least-squares line)
blocks = re.findall(r"^\s*Step\s+Temp\s+PotEng\s+TotEng\s*\n(.*?)^Loop time", text, re.M | re.S)
rows = [l.split() for l in blocks[-1].strip().splitlines() if re.match(r"^\s*\d", l)]
t = [int(r[0]) * 20e-6 for r in rows]; e = [float(r[3]) for r in rows]; temp = [float(r[1]) for r in rows]
assert int(rows[-1][0]) == 2000, rows[-1]
tm, em = sum(t) / len(t), sum(e) / len(e)
slope = sum((a - tm) * (b - em) for a, b in zip(t, e)) / sum((a - tm) ** 2 for a in t)
kT = 0.0019872043 * 310.0
per_bead = slope / n / kT
print(f"NVE 2000 x 20 fs: T {sum(temp) / len(temp):.1f} K, drift {slope:.1f} kcal/mol/ns ({per_bead:.4f} kT/bead/ns), "
      f"total energy spread {max(e) - min(e):.2f} kcal/mol")
assert 250 < sum(temp) / len(temp) < 370, temp
assert abs(per_bead) < 0.05, per_bead
print(f"cg_system_cholesterol: {n} beads, {molecules['CHOL']} cholesterols as rigid bodies: LAMMPS equals GROMACS and conserves energy")
PY
# the same system through `backmap lammps-system` from the .top and .gro that cg-system wrote (a
# second path: read back from disk as grompp reads them): the same LAMMPS files, rigid bodies
# included, but for the paths they name
"$backmap" lammps-system sys/bilayer.top sys/bilayer.gro -o again/bilayer > again.out
grep -q "24 rigid bodies" again.out || { echo "lammps-system: no 24 rigid bodies:"; cat again.out; exit 1; }
for f in settings data coeffs table; do
  cmp <(sed 's#sys/bilayer#P#g; s#again/bilayer#P#g' "sys/bilayer.$f") <(sed 's#sys/bilayer#P#g; s#again/bilayer#P#g' "again/bilayer.$f") > /dev/null ||
    { echo "lammps-system: again/bilayer.$f differs from cg-system's"; exit 1; }
done
echo "cg_system_cholesterol: passed"
