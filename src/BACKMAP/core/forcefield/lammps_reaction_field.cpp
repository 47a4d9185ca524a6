/* BACKMAP core, forcefield layer: the reaction field and its LAMMPS pair table (see lammps_reaction_field.h). */
#include "lammps_reaction_field.h"

#include "lammps_writer_text.h"

#include "file_error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace BACKMAP::lammps_writer {

namespace {

// LAMMPS's Coulomb constant in units real (force->qqr2e), so that the tabulated reaction-field
// part and lj/cut/coul/cut's 1/r part add up to zero at the cut-off as GROMACS's do
constexpr double lammps_qqr2e_real = 332.06371;
constexpr double table_inner = 1.0;    // Angstrom: closer charged pairs stop LAMMPS with an error

}    // namespace

ReactionField reaction_field_of(const SystemModel &system, const LammpsNonbonded &nb, const std::string &output)
{
  ReactionField rf;
  if (nb.scheme != LammpsCutoffScheme::ReactionField) return rf;
  if (!(nb.epsilon_r > 0)) fail_at(output, 0, "reaction field with epsilon_r " + number(nb.epsilon_r) + " (must be > 0)");
  if (nb.epsilon_rf != 0 && !(nb.epsilon_rf >= 1))
    fail_at(output, 0, "reaction field with epsilon_rf " + number(nb.epsilon_rf) + " (must be 0 = infinity, or >= 1)");
  rf.on = true;
  rf.cutoff = nb.cutoff;
  const double rc3 = nb.cutoff * nb.cutoff * nb.cutoff;
  rf.k_rf = nb.epsilon_rf == 0 ? 1 / (2 * rc3) : (nb.epsilon_rf - nb.epsilon_r) / ((2 * nb.epsilon_rf + nb.epsilon_r) * rc3);
  rf.c_rf = 1 / nb.cutoff + rf.k_rf * nb.cutoff * nb.cutoff;
  rf.coulomb = lammps_qqr2e_real / nb.epsilon_r;
  const auto &types = system.atom_types;
  for (std::size_t i = 0; i < types.size(); ++i)
    for (std::size_t j = i; j < types.size(); ++j) {
      const double qq = types[i].charge * types[j].charge;
      if (qq == 0) continue;
      auto known = std::find_if(rf.products.begin(), rf.products.end(), [&](double p) { return same_value(p, qq); });
      if (known == rf.products.end()) known = rf.products.insert(rf.products.end(), qq);
      rf.section[{static_cast<int>(i) + 1, static_cast<int>(j) + 1}] = static_cast<int>(known - rf.products.begin()) + 1;
    }
  return rf;
}

std::string table_text(const ReactionField &rf, const LammpsWriterOptions &options)
{
  std::ostringstream out;
  out << "# Reaction-field pair table for LAMMPS pair_style table linear " << table_points << ", from "
      << source_text(options.source)
      << "\n# written by BACKMAP (lammps_system_writer). Units real. GROMACS's reaction field without its 1/r part\n"
      << "# (that is lj/cut/coul/cut's): E = C qi qj (k_rf r^2 - c_rf), C = " << number(rf.coulomb)
      << " kcal A/(mol e^2) (332.06371 / epsilon_r),\n# k_rf = " << number(rf.k_rf) << " A^-3, c_rf = " << number(rf.c_rf)
      << " A^-1, cut-off " << number(rf.cutoff) << " A. Columns: index r (A) E (kcal/mol) F (kcal/mol/A).\n";
  const double lo2 = table_inner * table_inner, hi2 = rf.cutoff * rf.cutoff;
  for (std::size_t n = 0; n < rf.products.size(); ++n) {
    const double qq = rf.products[n];
    out << "\nRF_" << n + 1 << "    # qi qj = " << number(qq) << "\nN " << table_points << " RSQ " << number(table_inner)
        << " " << number(rf.cutoff) << "\n\n";
    for (int i = 0; i < table_points; ++i) {
      const double rsq = lo2 + (hi2 - lo2) * i / (table_points - 1), r = std::sqrt(rsq);
      char line[160];
      std::snprintf(line, sizeof line, "%d %.17g %.17g %.17g\n", i + 1, r, rf.coulomb * qq * (rf.k_rf * rsq - rf.c_rf),
                    -2 * rf.coulomb * qq * rf.k_rf * r);
      out << line;
    }
  }
  return out.str();
}

}    // namespace BACKMAP::lammps_writer
