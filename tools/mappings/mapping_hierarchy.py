"""Bonds from coordinates, bond graphs, the anchor hierarchy within beads, hydrogen parents.

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""

import collections
import math


def dist(a, b):
    return math.sqrt(sum((p - q) ** 2 for p, q in zip(a, b)))


def distance_bonds(coords, cutoff=1.95):
    names = list(coords)
    bonds = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if dist(coords[a], coords[b]) < cutoff:
                bonds.append((a, b))
    return bonds


# --------------------------------------------------------------------------
# Hierarchy
# --------------------------------------------------------------------------
def adjacency(names, bonds):
    adj = {n: [] for n in names}
    for a, b in bonds:
        adj[a].append(b)
        adj[b].append(a)
    return adj


def bfs_order(adj, start):
    seen = {start: 0}
    order = [start]
    queue = collections.deque([start])
    while queue:
        cur = queue.popleft()
        for nb in adj[cur]:
            if nb not in seen:
                seen[nb] = seen[cur] + 1
                order.append(nb)
                queue.append(nb)
    return order


def bead_hierarchy(bead_atoms, adj, global_order, first_level=1):
    """Levels/anchors for the atoms of one bead.

    Roots (level first_level, no anchor) are taken in global BFS order; from each
    root a BFS restricted to the bead's atoms gives levels and anchors.
    """
    members = set(bead_atoms)
    rank = {n: i for i, n in enumerate(global_order)}
    level, anchor = {}, {}
    for root in sorted(members, key=lambda n: rank.get(n, 1 << 30)):
        if root in level:
            continue
        level[root] = first_level
        queue = collections.deque([root])
        while queue:
            cur = queue.popleft()
            for nb in sorted(adj[cur], key=lambda n: rank.get(n, 1 << 30)):
                if nb in members and nb not in level:
                    level[nb] = level[cur] + 1
                    anchor[nb] = cur
                    queue.append(nb)
    return level, anchor


# --------------------------------------------------------------------------
# Hydrogen parents (CHARMM hydrogen naming chemistry)
# --------------------------------------------------------------------------
def hydrogen_parent(hname, heavy):
    """Heavy atom (source names) a CHARMM/AMBER amino-acid hydrogen is bonded to."""
    if hname in ("H", "HN", "H1", "H2", "H3", "HN1", "HN2", "HN3", "HT1", "HT2", "HT3"):
        return "N"
    rest = hname[1:]
    pos = rest[0]
    cands = [a for a in heavy if a not in ("N", "C", "O", "OXT") and len(a) >= 2 and a[1] == pos]
    if len(cands) == 1:
        return cands[0]
    branch = rest[1:2]
    hit = [a for a in cands if a[2:3] == branch]
    if len(hit) == 1:
        return hit[0]
    raise ValueError("cannot find the parent of hydrogen %s among %s" % (hname, heavy))


def element_of(name):
    return name.lstrip("0123456789")[0]
