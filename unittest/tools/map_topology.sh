#!/usr/bin/env bash
# Tool-level test: `backmap map --martini-topology` on ubiquitin (Debian's 1UBI): the files it writes, the
# JSON summary, the data file naming every protein bead for fix backmap (chain, number, name as
# in the input); with --go, GoMartini's sites, itps and contact map; and its refusals with exit status 2, the residue or the count named and no
# file left: a secondary structure of the wrong length, a broken chain (residue 3 removed).
# usage: map_topology.sh BACKMAP INPUT SHARED_DATA WORKDIR
set -euo pipefail
backmap="$1"; input="$2"; shared="$3"; work="$4"
ff="$shared/mappings-src/vermouth-martini3001-forcefield"
if [ ! -f "$input" ] || [ ! -f "$ff/05-aminoacids.ff" ] || [ ! -f "$shared/forcefields/martini3/martini_v3.0.0.itp" ]; then
  echo "map_topology: skipped ($input or the shared Martini data not present)"; exit 0
fi
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
ss=CEEEEEETTSCEEEEECCTTCBHHHHHHHHHHHHCCCGGGEEEEETTEECCTTSBGGGGTCCTTCEEEEEECCSCC

"$backmap" map "$input" -o sys/ubq --martini-topology --elastic --ss "$ss" --json > summary.json
for f in ubq.top ubq.itp ubq.gro ubq.settings ubq.data ubq.coeffs ubq.table ubq.angles; do
  [ -s "sys/$f" ] || fail "sys/$f not written"
done
python3 - <<'PY' || exit 1
import json
s = json.load(open("summary.json"))
assert s["protein_beads"] == 166 and s["beads"] == 166, s
assert s["secondary_structure"]["martini"].startswith("CEEEEEETTSCEEEEECCTTCE1111HHHH2222CCC333"), s["secondary_structure"]
assert s["elastic_bonds"] > 200, s["elastic_bonds"]
# the data file names each bead as fix backmap reads a topology: CHAIN RESNUM RESNAME BEAD
atoms = [l.split("#")[1].split() for l in open("sys/ubq.data").read().split("Atoms")[1].split("\n\n")[1].splitlines()]
assert atoms[0] == ["A", "1", "MET", "BB"] and atoms[-1] == ["A", "76", "GLY", "BB"], (atoms[0], atoms[-1])
# the .itp's termini: N-ter and C-ter backbone beads are Q5 with +1 and -1
itp = [l.split() for l in open("sys/ubq.itp") if l[:1] == " " and len(l.split()) > 6]
assert itp[0][1] == "Q5" and itp[0][6] == "1", itp[0]
print("map_topology: files, summary and bead names as expected")
PY

# GoMartini: 76 CA sites after the 166 beads in the .itp and .gro (GROMACS), none in the data file
# (LAMMPS carries them on their BB beads), the Go itps and the contact map; not with --elastic
"$backmap" map "$input" -o go/ubq --martini-topology --go --go-write-file go/contacts.map --ss "$ss" --json > go.json
for f in ubq.top ubq.itp ubq.gro ubq_go_atomtypes.itp ubq_go_nbparams.itp ubq.data ubq.coeffs contacts.map; do
  [ -s "go/$f" ] || fail "go/$f not written"
done
python3 - <<'PY' || exit 1
import json
s = json.load(open("go.json"))
assert s["protein_beads"] == 242 and s["go_sites"] == 76 and s["elastic_bonds"] == 0, s
assert s["go_contacts"] > 100 and s["go_map_contacts"] > 2 * s["go_contacts"], s
top = open("go/ubq.top").read()
assert top.index('"ubq_go_atomtypes.itp"') < top.index('"ubq_go_nbparams.itp"') < top.index('"ubq.itp"'), top
gro = open("go/ubq.gro").read().splitlines()
assert int(gro[1]) == 242 and gro[2 + 166].split()[1] == "CA", gro[2 + 166]
nb = [l.split() for l in open("go/ubq_go_nbparams.itp") if l.startswith("molecule_")]
assert len(nb) == s["go_contacts"] and all(float(l[4]) == 9.414 for l in nb), nb[:3]
atoms = [l.split("#")[1].split() for l in open("go/ubq.data").read().split("Atoms")[1].split("\n\n")[1].splitlines()]
assert len(atoms) == 166 and atoms[-1] == ["A", "76", "GLY", "BB"] and not any(a[3] == "CA" for a in atoms), atoms[-1]
rows = [l for l in open("go/contacts.map") if l.startswith("R ")]
assert len(rows) == s["go_map_pairs"] and all(len(r.split()) == 18 for r in rows), rows[:2]
print("map_topology: GoMartini files, summary, sites and contact map as expected")
PY
set +e
"$backmap" map "$input" -o bad/ubq --martini-topology --go --elastic --ss "$ss" > both.out 2>&1; rc=$?
set -e
[ $rc -ne 0 ] || fail "--go with --elastic was accepted"
grep -q "excludes" both.out || fail "$(cat both.out)"

set +e
"$backmap" map "$input" -o bad/ubq --martini-topology --ss CCC > bad.out 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "a wrong --ss length gave exit status $rc"
grep -q "the secondary structure has 3 letters for 76 protein residues" bad.out || fail "$(cat bad.out)"
[ ! -e bad ] || [ -z "$(ls bad)" ] || fail "files left after the error: $(ls bad)"

grep -v " A   3 " "$input" > broken.pdb
set +e
"$backmap" map broken.pdb -o bad/broken --martini-topology --ss C > broken.out 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "a broken chain gave exit status $rc"
grep -q "broken chain: residues A:GLN2 and A:PHE4" broken.out || fail "$(cat broken.out)"
echo "map_topology: errors as expected"
