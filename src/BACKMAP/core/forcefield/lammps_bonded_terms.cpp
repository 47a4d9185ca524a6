/* BACKMAP core, forcefield layer: GROMACS bonded terms as LAMMPS styles (see lammps_bonded_terms.h and the
   conversions in lammps_system_writer.h). */
#include "lammps_bonded_terms.h"

#include "lammps_writer_text.h"

#include "file_error.h"

#include <cmath>

namespace BACKMAP::lammps_writer {

namespace {

// GROMOS-96 angle V = k/2 (cos t - cos t0)^2; angle cosine/squared is E = K (cos t - cos t0)^2.
Draft cosine_squared_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  return Draft{zero_based(t), "cosine/squared", number(r.parameters[1] / 2 / kj_per_kcal) + " " + number(r.parameters[0]),
               atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
}

// GROMACS periodic term k (1 + cos(n phi - phis)) -> dihedral charmm K n d (weight added later). LAMMPS
// takes whole degrees only; another phase is written exactly as the sum of |a| (1 + cos(n phi - da))
// and |b| (1 + cos(n phi - db)), a = k cos(phis) with da 0 (or 180 where a < 0), b = k sin(phis)
// with db 90 (or -90), which leaves out the constant k (1 - |cos phis| - |sin phis|) (<= 0).
void add_periodic(const MoleculeType &m, const ResolvedTerm &r, std::vector<Draft> &dihedrals)
{
  const BondedTerm &t = *r.term;
  const double phase = r.parameters[0], k = r.parameters[1], multiplicity = r.parameters[2];
  if (multiplicity < 0 || std::abs(multiplicity - std::round(multiplicity)) > 1e-9)
    fail_term(t, "dihedral multiplicity " + number(multiplicity) + " is not a whole number >= 0");
  const auto term = [&](double force, long shift, const std::string &note) {
    Draft d{zero_based(t), "charmm", "", atom_names(m, zero_based(t)) + " (" + where(t) + note + ")"};
    d.coefficients = number(force / kj_per_kcal) + " " + std::to_string(std::lround(multiplicity)) + " " + std::to_string(shift);
    d.charmm = true;
    return d;
  };
  if (std::abs(phase - std::round(phase)) <= 1e-6) {
    dihedrals.push_back(term(k, std::lround(phase), ""));
    return;
  }
  const double a = k * std::cos(phase * M_PI / 180.0), b = k * std::sin(phase * M_PI / 180.0);
  dihedrals.push_back(term(std::abs(a), a >= 0 ? 0 : 180, ", phase " + number(phase) + ": the cos part"));
  dihedrals.push_back(term(std::abs(b), b >= 0 ? 90 : -90, ", phase " + number(phase) + ": the sin part"));
  dihedrals.back().constant = (k - std::abs(a) - std::abs(b)) / kj_per_kcal;
}

// Ryckaert-Bellemans: V = sum Cn cos^n(psi), psi = phi - 180, so cos(psi) = -cos(phi) and
// dihedral multi/harmonic's A(n+1) = (-1)^n Cn; it stops at cos^4, so C5 must be 0.
Draft ryckaert_bellemans_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  if (std::abs(r.parameters[5]) > 0)
    fail_term(t, "Ryckaert-Bellemans C5 = " + number(r.parameters[5]) + " has no dihedral multi/harmonic term");
  Draft d{zero_based(t), "multi/harmonic", "", atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
  for (int n = 0; n < 5; ++n)
    d.coefficients += (n ? " " : "") + number((n % 2 ? -1.0 : 1.0) * r.parameters[static_cast<std::size_t>(n)] / kj_per_kcal);
  return d;
}

// Whether a harmonic improper's xi0 is one that LAMMPS's improper harmonic matches: its angle is
// unsigned, GROMACS's signed, so only 0 and 180 give the same energy.
bool unsigned_improper(double xi0) { return std::abs(xi0) < 1e-9 || std::abs(std::abs(xi0) - 180.0) < 1e-9; }

// Any other xi0 (Martini 3 cholesterol's -70): dihedral quadratic, E = K (phi - phi0)^2 with the
// signed dihedral angle of GROMACS's convention and the same wrap of phi - phi0 into [-180, 180).
Draft signed_improper_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  return Draft{zero_based(t), "quadratic", number(r.parameters[1] / 2 / kj_per_kcal) + " " + number(r.parameters[0]),
               atom_names(m, zero_based(t)) + " (" + where(t) + ", GROMACS improper)"};
}

Draft improper_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  const double xi0 = r.parameters[0];
  return Draft{zero_based(t), "harmonic", number(r.parameters[1] / 2 / kj_per_kcal) + " " + number(std::abs(xi0)),
               atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
}

}    // namespace

std::string where(const BondedTerm &term) { return file_line(term.path, term.line); }

std::string restricted_bending_keyword(double theta0, double k) { return "RB_" + number(theta0) + "_" + number(k); }

[[noreturn]] void fail_term(const BondedTerm &term, const std::string &what) { fail_at(term.path, term.line, what); }

std::string atom_names(const MoleculeType &m, const std::vector<int> &atoms)
{
  std::string names;
  for (int a : atoms) {
    const TopologyAtom &atom = m.atoms[static_cast<std::size_t>(a)];
    names += (names.empty() ? "" : "-") + atom.type;
  }
  return names;
}

std::vector<int> zero_based(const BondedTerm &term)
{
  std::vector<int> atoms;
  for (int a : term.atoms) atoms.push_back(a - 1);
  return atoms;
}

// The sections nothing here writes: any line in them would change the energy unseen. Constraints
// and [ exclusions ] are written only where special_bonds follows GROMACS's exclusions (no [ pairs ]).
void check_unsupported_sections(const MoleculeType &m, bool exclusions_only)
{
  if (!exclusions_only && !m.constraints.empty())
    fail_term(m.constraints.front(), "[ constraints ] of molecule " + m.name +
                                         " cannot be written for LAMMPS in a topology with [ pairs ] (not supported)");
  static const char *unsupported[] = {"settles", "virtual_sites1", "virtual_sites2", "virtual_sites3",
                                      "virtual_sites4", "virtual_sitesn", "pairs_nb", "position_restraints",
                                      "distance_restraints", "dihedral_restraints", "orientation_restraints",
                                      "angle_restraints", "angle_restraints_z", "polarization", "water_polarization",
                                      "thole_polarization"};
  for (const char *section : unsupported) {
    const std::vector<BondedTerm> *terms = m.terms(section);
    if (terms && !terms->empty())
      fail_term(terms->front(), std::string("[ ") + section + " ] of molecule " + m.name +
                                    " cannot be written for LAMMPS (not supported)");
  }
  if (!exclusions_only && !m.exclusions.empty())
    fail_at(m.path, m.line, "[ exclusions ] of molecule " + m.name +
                                " cannot be written for LAMMPS in a topology with [ pairs ] (not supported)");
}

Draft bond_draft(const MoleculeType &m, const ResolvedTerm &r)
{
  const BondedTerm &t = *r.term;
  Draft d{zero_based(t), "harmonic", "", atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
  if (t.function == 1)
    d.coefficients = number(r.parameters[1] / 2 / kj_per_kcal / (angstrom_per_nm * angstrom_per_nm)) + " " +
                     number(r.parameters[0] * angstrom_per_nm);
  else if (t.function == 5)
    d.coefficients = "0 0";    // a connection: no energy, but LAMMPS's exclusions need the bond
  else
    fail_term(t, "bond function " + std::to_string(t.function) + " cannot be written for LAMMPS (only 1 and 5)");
  return d;
}

// A constraint as a stiff harmonic bond (and, with Shake, the bond fix shake holds at r0).
Draft constraint_draft(const MoleculeType &m, const ResolvedTerm &r, double force_constant)
{
  const BondedTerm &t = *r.term;
  if (t.function != 1)
    fail_term(t, "constraints function " + std::to_string(t.function) +
                     " (no exclusions) cannot be written for LAMMPS, whose bonds always exclude (only 1)");
  Draft d{zero_based(t), "harmonic", "", atom_names(m, zero_based(t)) + " (constraint, " + where(t) + ")"};
  d.coefficients = number(force_constant / 2 / kj_per_kcal / (angstrom_per_nm * angstrom_per_nm)) + " " +
                   number(r.parameters[0] * angstrom_per_nm);
  d.kind = "constraint";
  return d;
}

Draft angle_draft(const MoleculeType &m, const ResolvedTerm &r, bool charmm, const std::string &angle_table)
{
  const BondedTerm &t = *r.term;
  const std::vector<double> &p = r.parameters;
  if (t.function == 2) return cosine_squared_draft(m, r);
  if (t.function == 10) {
    // restricted bending: this LAMMPS (2022) has no angle style for it (cosine/squared/restricted
    // came later), so it is tabulated (lammps_angle_table)
    if (!(p[0] > 0 && p[0] < 180)) fail_term(t, "restricted bending with theta0 = " + number(p[0]) + " (must lie in (0, 180))");
    Draft d{zero_based(t), "table", "", atom_names(m, zero_based(t)) + " (restricted bending, " + where(t) + ")"};
    d.coefficients = angle_table + " " + restricted_bending_keyword(p[0], p[1]);
    d.table_theta0 = p[0];
    d.table_k = p[1];
    return d;
  }
  Draft d{zero_based(t), charmm ? "charmm" : "harmonic", "", atom_names(m, zero_based(t)) + " (" + where(t) + ")"};
  if (t.function != 1 && t.function != 5)
    fail_term(t, "angle function " + std::to_string(t.function) + " cannot be written for LAMMPS (only 1, 2 and 5)");
  d.coefficients = number(p[1] / 2 / kj_per_kcal) + " " + number(p[0]);
  if (charmm && t.function == 5)
    d.coefficients += " " + number(p[3] / 2 / kj_per_kcal / (angstrom_per_nm * angstrom_per_nm)) + " " +
                      number(p[2] * angstrom_per_nm);
  else if (charmm)
    d.coefficients += " 0 0";
  return d;
}

void add_dihedrals(const ParameterLookup &lookup, const MoleculeType &m, std::vector<Draft> &dihedrals,
                   std::vector<Draft> &impropers)
{
  // propers first, so that a 1-4 pair's weight goes to a proper dihedral where there is one
  for (int pass = 0; pass < 2; ++pass)
    for (const ResolvedTerm &r : lookup.resolve_all(m, "dihedrals")) {
      const int f = r.term->function;
      const bool proper = f == 1 || f == 9 || f == 3;
      if ((pass == 0) != proper) continue;
      if (f == 1 || f == 9 || f == 4)
        add_periodic(m, r, dihedrals);
      else if (f == 3)
        dihedrals.push_back(ryckaert_bellemans_draft(m, r));
      else if (f == 2 && unsigned_improper(r.parameters[0]))
        impropers.push_back(improper_draft(m, r));
      else if (f == 2)
        dihedrals.push_back(signed_improper_draft(m, r));
      else
        fail_term(*r.term, "dihedral function " + std::to_string(f) + " cannot be written for LAMMPS (only 1, 2, 3, 4, 9)");
    }
}

}    // namespace BACKMAP::lammps_writer
