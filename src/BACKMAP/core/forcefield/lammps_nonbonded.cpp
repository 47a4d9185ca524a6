/* BACKMAP core, forcefield layer: LAMMPS's non-bonded schemes (see lammps_nonbonded.h). */
#include "lammps_nonbonded.h"

#include "lammps_reaction_field.h"
#include "lammps_system_model.h"
#include "lammps_writer_text.h"

#include "file_error.h"

namespace BACKMAP {

LammpsNonbonded martini_nonbonded()
{
  LammpsNonbonded nb;
  nb.scheme = LammpsCutoffScheme::ReactionField;
  nb.cutoff = 11.0;
  nb.epsilon_r = 15.0;
  nb.epsilon_rf = 0.0;
  return nb;
}

LammpsNonbonded recommended_nonbonded(const Topology &topology)
{
  LammpsNonbonded nb;
  if (!topology.pairtypes.empty() || !topology.cmaptypes.empty()) {
    nb.scheme = LammpsCutoffScheme::CharmmSwitch;
    nb.switch_from = 10.0;
    nb.cutoff = 12.0;
    return nb;
  }
  bool any_pairs = false;
  for (const MoleculeCount &count : topology.molecules) {
    const MoleculeType *m = topology.find_moleculetype(count.name);
    any_pairs = any_pairs || (m && count.count > 0 && !m->pairs.empty());
  }
  if (!any_pairs && !topology.defaults.gen_pairs && !topology.nonbond_params.empty()) return martini_nonbonded();
  return nb;
}

namespace lammps_writer {

std::string pair_style_arguments(const SystemModel &system, const LammpsNonbonded &nb, const ReactionField &rf,
                                 const std::string &output)
{
  if (!(nb.cutoff > 0)) fail_at(output, 0, "the non-bonded cut-off must be positive, not " + number(nb.cutoff));
  if (!(nb.epsilon_r > 0)) fail_at(output, 0, "epsilon_r must be positive, not " + number(nb.epsilon_r));
  if (rf.table() || !system.site_pairs.empty())
    return "hybrid/overlay lj/cut/coul/cut " + number(nb.cutoff) +
           (system.site_pairs.empty() ? std::string() : " lj/cut " + number(nb.cutoff)) +
           (rf.table() ? " table linear " + std::to_string(table_points) : std::string());
  if (nb.scheme == LammpsCutoffScheme::CharmmSwitch) {
    if (!(nb.switch_from > 0 && nb.switch_from < nb.cutoff))
      fail_at(output, 0, "switching must start (" + number(nb.switch_from) + ") inside the cut-off (" + number(nb.cutoff) + ")");
    return "lj/charmm/coul/charmm " + number(nb.switch_from) + " " + number(nb.cutoff);
  }
  // lj/charmm needs inner < outer: switching over the last 1e-6 A (the data file's coordinate
  // precision) is a plain cut-off. (0.001 A was not: in a dense periodic system that shell holds
  // hundreds of pairs; 72 POPC cut at 12 A lost 36 kcal/mol, 0.6 %, of GROMACS's Coulomb (SR).)
  if (system.one_four_by_dihedral) return "lj/charmm/coul/charmm " + number(nb.cutoff - 1e-6) + " " + number(nb.cutoff);
  return "lj/cut/coul/cut " + number(nb.cutoff);
}

}    // namespace lammps_writer

}    // namespace BACKMAP
