#!/usr/bin/env bash
# ln a of fix backmap/replica's resolution exchange with the Hessian proposal on the alanine
# dipeptide (doc/resolution_exchange.md, section 9, "Where it stops"): Debian's
# python-mdtraj-doc native.pdb mapped to the four beads of examples/own-molecule, a CG force
# field of harmonic bonds and angles fitted to the mapped frames of frame0.xtc, the replica in
# amber99sb-ildn in vacuum, Langevin dynamics at 300 K, 20 attempts.
# usage: bash bench/replica_exchange_dipeptide.sh   (from the repository root, after the build)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backmap="$repo/build/bin/backmap"; lmp="$repo/build/bin/lmp"
mapping="$repo/examples/own-molecule/mappings/ala-dipeptide"; model="$repo/examples/own-molecule/ala-dipeptide.pt"
data=/usr/share/doc/python-mdtraj-doc/examples/data
work="${WORK:-$repo/build/bench/replica_exchange_dipeptide}"
rm -rf "$work" && mkdir -p "$work/aa" && cd "$work"
"$backmap" map --mapping "$mapping" "$data/native.pdb" -o start.data > /dev/null
"$backmap" map --mapping "$mapping" "$data/frame0.xtc" --topology "$data/native.pdb" -o frames.pdb > /dev/null
python3 - <<'PY'
import math
frames, cur = [], {}
for line in open("frames.pdb"):
    if line.startswith("ATOM"):
        cur[line[12:16].strip()] = [float(line[30:38]), float(line[38:46]), float(line[46:54])]
    elif line.startswith("ENDMDL"):
        frames.append(cur); cur = {}
def ang(a, b, c):
    u = [a[i] - b[i] for i in range(3)]; v = [c[i] - b[i] for i in range(3)]
    return math.acos(sum(x * y for x, y in zip(u, v)) / math.hypot(*u) / math.hypot(*v))
kt = 0.0019872067 * 300
def fit(values):
    m = sum(values) / len(values); return m, kt / (2 * sum((v - m) ** 2 for v in values) / len(values))
bonds = [("AC", "BB"), ("BB", "SC1"), ("BB", "NM")]
angles = [("AC", "BB", "SC1"), ("AC", "BB", "NM"), ("SC1", "BB", "NM")]
lines = open("start.data").read().split("\n")
atoms = [l for l in lines if "#" in l and len(l.split()) > 8 and l.split()[0].isdigit()]
ids = {l.split()[-1]: l.split()[0] for l in atoms}
out = [l for l in lines if not l.strip().endswith("bond types") and not l.strip().endswith("bonds")]
text = "\n".join(out)
text = text.replace("atom types\n", "atom types\n3 bonds\n3 bond types\n3 angles\n3 angle types\n", 1)
text = text.split("\nBond Coeffs")[0].rstrip("\n")
text += "\n\nBond Coeffs # harmonic\n\n"
for k, (a, b) in enumerate(bonds):
    m, K = fit([math.dist(f[a], f[b]) for f in frames]); text += "%d %.4f %.4f\n" % (k + 1, K, m)
text += "\nAngle Coeffs # harmonic\n\n"
for k, t in enumerate(angles):
    m, K = fit([ang(f[t[0]], f[t[1]], f[t[2]]) for f in frames]); text += "%d %.4f %.4f\n" % (k + 1, K, math.degrees(m))
text += "\nBonds\n\n" + "".join("%d %d %s %s\n" % (k + 1, k + 1, ids[a], ids[b]) for k, (a, b) in enumerate(bonds))
text += "\nAngles\n\n" + "".join("%d %d %s %s %s\n" % (k + 1, k + 1, ids[t[0]], ids[t[1]], ids[t[2]]) for k, t in enumerate(angles))
open("cg.data", "w").write(text)
PY
cat > aa_md.in <<'IN'
timestep 1.0
fix aa_langevin all langevin 300.0 300.0 100.0 4242
fix aa_nve all nve
IN
cat > in.dipeptide <<IN
units real
atom_style full
boundary p p p
bond_style harmonic
angle_style harmonic
read_data cg.data
pair_style zero 10.0
pair_coeff * *
fix bm all backmap $model topology cg.data every 250 dump bm.pdb
fix aa all backmap/replica bm every 250 run 500 forcefield amber99sb-ildn files aa/aa input aa_md.in temperature 300 seed 7 exchange 1 proposal hessian width 0.3
fix cg_langevin all langevin 300.0 300.0 100.0 777
fix cg_nve all nve
timestep 2.0
run 5000
IN
"$lmp" -in in.dipeptide -log log.dipeptide -screen none
grep -o 'exchange at step .*' log.dipeptide
awk '/exchange at step/ {for (i = 1; i <= NF; ++i) { if ($i == "dU_AA") u = $(i + 1); if ($i == "a") a = $(i + 1) + 0 }
      n++; if (n == 1 || a < lo) lo = a; if (n == 1 || a > hi) hi = a; if (/: accepted/) acc++}
     END {printf "%d attempts, %d accepted, ln a from %.1f to %.1f\n", n, acc, lo, hi}' log.dipeptide
