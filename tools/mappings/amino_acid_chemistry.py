"""Amino-acid chemistry written by hand: residue names, aliases, variant maps, side-chain bonds.

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""



AMINO_ACIDS = ["ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
               "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL"]

# Residue aliases (protonation / naming variants that share the heavy atoms).
RESIDUE_ALIASES = {
    "HIS": ["HSD", "HSE", "HSP", "HID", "HIE", "HIP", "HISD", "HISE", "HISH"],
    "ASP": ["ASH", "ASPP", "ASPH"],
    "GLU": ["GLH", "GLUP", "GLUH"],
    "LYS": ["LYN", "LSN"],
    "CYS": ["CYX", "CYM"],
}

# vermouth maps that describe the same residue (variants); canonical file first.
VARIANT_MAPS = {
    "HIS": ["his.charmm36", "hsd.charmm36", "hse.charmm36", "hsp.charmm36",
            "his.amber", "hid.amber", "hie.amber", "hip.amber"],
    "ASP": ["asp.charmm36", "aspp.charmm36", "asp.amber", "ash.amber"],
    "GLU": ["glu.charmm36", "glup.charmm36", "glu.amber", "glh.amber"],
    "LYS": ["lys.charmm36", "lsn.charmm36", "lys.amber", "lyn.amber"],
}

# Side-chain heavy-atom bonds (PDB/IUPAC names); N-CA, CA-C, C-O, C-OXT and
# CA-CB (not GLY) are added for every residue.  The peptide link C(i)-N(i+1)
# is implicit.
SIDE_CHAIN_BONDS = {
    "ALA": [],
    "ARG": ["CB-CG", "CG-CD", "CD-NE", "NE-CZ", "CZ-NH1", "CZ-NH2"],
    "ASN": ["CB-CG", "CG-OD1", "CG-ND2"],
    "ASP": ["CB-CG", "CG-OD1", "CG-OD2"],
    "CYS": ["CB-SG"],
    "GLN": ["CB-CG", "CG-CD", "CD-OE1", "CD-NE2"],
    "GLU": ["CB-CG", "CG-CD", "CD-OE1", "CD-OE2"],
    "GLY": [],
    "HIS": ["CB-CG", "CG-ND1", "ND1-CE1", "CE1-NE2", "NE2-CD2", "CD2-CG"],
    "ILE": ["CB-CG1", "CG1-CD1", "CB-CG2"],
    "LEU": ["CB-CG", "CG-CD1", "CG-CD2"],
    "LYS": ["CB-CG", "CG-CD", "CD-CE", "CE-NZ"],
    "MET": ["CB-CG", "CG-SD", "SD-CE"],
    "PHE": ["CB-CG", "CG-CD1", "CD1-CE1", "CE1-CZ", "CZ-CE2", "CE2-CD2", "CD2-CG"],
    "PRO": ["CB-CG", "CG-CD", "CD-N"],
    "SER": ["CB-OG"],
    "THR": ["CB-OG1", "CB-CG2"],
    "TRP": ["CB-CG", "CG-CD1", "CD1-NE1", "NE1-CE2", "CE2-CD2", "CD2-CG",
            "CE2-CZ2", "CZ2-CH2", "CH2-CZ3", "CZ3-CE3", "CE3-CD2"],
    "TYR": ["CB-CG", "CG-CD1", "CD1-CE1", "CE1-CZ", "CZ-CE2", "CE2-CD2", "CD2-CG",
            "CZ-OH"],
    "VAL": ["CB-CG1", "CB-CG2"],
}

# Heavy-atom names that differ between CHARMM (vermouth/cg2at) and PDB/IUPAC.
# canonical (PDB) name -> CHARMM name used in the sources
CHARMM_NAME = {("ILE", "CD1"): "CD"}
# extra input names per canonical atom (all residues)
BACKBONE_ALIASES = {"O": ["OT1", "O1"], "OXT": ["OT2", "O2"]}

BACKBONE = ["N", "CA", "C", "O", "OXT"]
