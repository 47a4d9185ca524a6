"""What every part of the mapping generator shares: the sources' commits, masses, and NOTE lines.

Part of tools/mappings/make_martini3_mappings.py (Python 3 standard library only)."""

VERMOUTH_COMMIT = "d0ec4df926026108b1fa8c479f7f646a8aaa3bc7"
CG2AT_COMMIT = "5fd704204067782e2ed01bec9c36491f088c12c4"

MASS = {"H": 1.008, "C": 12.011, "N": 14.007, "O": 15.999, "S": 32.06, "P": 30.974}

NOTES = []


def note(msg):
    NOTES.append(msg)
    print("NOTE " + msg)
