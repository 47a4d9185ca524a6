"""Readers of the mapping sources: vermouth .map and .ff files, cg2at fragments.

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""

import collections


def section_lines(path):
    """(section, line) for each line of a vermouth-style file ([ section ] headers, ';' comments),
    and (section, None) where a section starts; section is lower case, None before the first."""
    section = None
    with open(path) as fh:
        for raw in fh:
            line = raw.split(";")[0].strip()
            if not line:
                continue
            if line.startswith("["):
                section = line.strip("[] ").lower()
                yield section, None
            else:
                yield section, line


def read_vermouth_map(path):
    """Return dict with molecule, martini (bead list or None), atoms [(name, [beads])]."""
    sections = collections.defaultdict(list)
    for section, line in section_lines(path):
        if section is not None and line is not None:
            sections[section].append(line)
    atoms = []
    for line in sections.get("atoms", []):
        parts = line.split()
        atoms.append((parts[1], parts[2:]))
    martini = sections["martini"][0].split() if sections.get("martini") else None
    return {"molecule": sections["molecule"][0].split()[0], "martini": martini,
            "atoms": atoms}


def read_ff_bead_order(path):
    """Bead names per moleculetype in a vermouth .ff file, in order."""
    out = {}
    name = None
    for section, line in section_lines(path):
        if line is None:
            continue
        if section == "moleculetype":
            name = line.split()[0]
            out[name] = []
        elif section == "atoms" and name is not None:
            parts = line.split()
            if len(parts) >= 5:
                out[name].append(parts[4])
    return out


def read_cg2at_fragment(path):
    """Return [(bead, [(name, element, (x,y,z))])] in file order, stopping at non-bead sections."""
    beads = []
    with open(path) as fh:
        for raw in fh:
            if raw.startswith("["):
                tag = raw.strip().strip("[] ").strip()
                if tag in ("CONNECT", "GROUPS", "CHIRAL"):
                    break
                beads.append((tag, []))
                continue
            if raw.startswith(("ATOM", "HETATM")) and beads:
                name = raw[12:16].strip()
                xyz = (float(raw[30:38]), float(raw[38:46]), float(raw[46:54]))
                elem = raw[76:78].strip() if len(raw) >= 78 else ""
                if not elem:
                    elem = name.lstrip("0123456789")[0]
                beads[-1][1].append((name, elem.upper(), xyz))
    return beads
