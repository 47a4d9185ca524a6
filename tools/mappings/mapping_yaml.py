"""The mapping YAML writer (format version 1; our own small emitter, flow maps one per line).

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""



def flow_list(items):
    return "[" + ", ".join(items) + "]"


def flow_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return flow_list([flow_value(x) for x in v])
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, flow_value(x)) for k, x in v.items()) + "}"
    return str(v)


def atom_line(atom):
    keys = ["name", "element", "beads", "level", "anchor", "aliases", "optional", "hydrogens"]
    parts = []
    for k in keys:
        if k in atom:
            parts.append("%s: %s" % (k, flow_value(atom[k])))
    return "  - {" + ", ".join(parts) + "}"


def write_yaml(path, header, mol):
    lines = ["# " + h for h in header]
    lines.append("molecule: %s" % mol["molecule"])
    if mol.get("aliases"):
        lines.append("aliases: %s" % flow_list(mol["aliases"]))
    lines.append("kind: %s" % mol["kind"])
    lines.append("weighting: %s" % mol.get("weighting", "mass"))
    lines.append('source: "%s"' % mol["source"])
    lines.append("beads:")
    for b in mol["beads"]:
        if isinstance(b, dict):
            lines.append("  - " + flow_value(b))
        else:
            lines.append("  - " + b)
    lines.append("atoms:")
    for a in mol["atoms"]:
        lines.append(atom_line(a))
    lines.append("bonds:")
    for a, b in mol["bonds"]:
        lines.append("  - [%s, %s]" % (a, b))
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def level_fields(atom_beads, levels, anchors):
    """Return (level, anchor) entries: scalar for one distinct bead, map otherwise."""
    distinct = list(dict.fromkeys(atom_beads))
    if len(distinct) == 1:
        b = distinct[0]
        return levels[b], anchors.get(b)
    lv = {b: levels[b] for b in distinct}
    an = {b: anchors[b] for b in distinct if b in anchors}
    return lv, (an or None)
