#!/usr/bin/env bash
# Tool-level test: `backmap map --martini-topology` on ubiquitin (Debian's 1UBI): the files it writes, the
# JSON summary, the data file naming every protein bead for fix backmap (chain, number, name as
# in the input); and its refusals with exit status 2, the residue or the count named and no
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
