/* BACKMAP core, forcefield layer: a Martini 3 protein system (see martini_protein_system.h). */
#include "martini_protein_system.h"

#include "martini_solvation.h"
#include "go_model.h"
#include "protein_itp.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace BACKMAP {

MartiniSystem build_martini_protein_system(const MartinizedProtein &protein, const std::string &input,
                                           const std::string &martini_dir, const ProteinSystemOptions &options)
{
  if (options.solvent.ion_pairs < 0) throw std::invalid_argument("the number of ion pairs must be 0 or more");
  if ((options.solvent.ion_pairs > 0 || options.solvent.neutralize) && !options.solvent.solvate)
    throw std::invalid_argument("ions replace water beads: they need solvation");
  if (!(options.padding > 0)) throw std::invalid_argument("the box padding must be positive");
  MartiniSystem system;
  system.input = input;
  system.folder = find_martini_folder(martini_dir);
  system.itp_files.insert((std::filesystem::path(system.folder) / martini_main_itp).string());
  system.own_itp = molecules_itp_text(protein.molecules, options.header);
  if (!protein.go.site_types.empty())
    system.parameter_itps = {{"_go_atomtypes.itp", go_atomtypes_text(protein.go)}, {"_go_nbparams.itp", go_nbparams_text(protein.go)}};

  Vec3 lo = Vec3::Constant(std::numeric_limits<double>::max()), hi = -lo;
  int last_number = 0;
  for (const CgMolecule &m : protein.molecules) {
    std::vector<bool> in_residue(m.beads.size(), false);
    const auto add_residue = [&](const CgResidue &r, const std::vector<int> &beads) {
      Residue residue;
      residue.name = r.name;
      residue.chain = r.chain;
      residue.number = r.number;
      residue.insertion = r.insertion;
      for (int b : beads) {
        const CgBead &bead = m.beads[static_cast<std::size_t>(b)];
        Atom atom;
        atom.name = bead.attributes["atomname"].get<std::string>();
        atom.position = bead.position * 10.0;
        lo = lo.cwiseMin(atom.position);
        hi = hi.cwiseMax(atom.position);
        residue.atoms.push_back(atom);
        if (bead.attributes.contains("charge"))
          system.charge += bead.attributes["charge"].is_string() ? std::stod(bead.attributes["charge"].get<std::string>())
                                                                  : bead.attributes["charge"].get<double>();
      }
      last_number = std::max(last_number, r.number);
      system.structure.residues.push_back(residue);
    };
    for (const CgResidue &r : m.residues) {
      add_residue(r, r.beads);
      for (int b : r.beads) in_residue[static_cast<std::size_t>(b)] = true;
    }
    // beads after the residues' own (GoMartini's sites, which martinize2 puts at the molecule's
    // end): each as a one-bead entry of its residue, in the itp's order
    for (std::size_t b = 0; b < m.beads.size(); ++b)
      if (!in_residue[b]) add_residue(m.residues[static_cast<std::size_t>(m.beads[b].residue)], {static_cast<int>(b)});
    system.molecules.push_back({m.name, 1});
  }
  if (system.structure.residues.empty()) throw std::invalid_argument(input + ": no protein residues");
  // the coordinates stay the input's (so that the atomistic input is the in-place reference of
  // compute backmap/rmsd); the box is the protein's extent plus `padding` on every side, and
  // GROMACS and LAMMPS wrap what lies outside it
  const Vec3 size = (hi - lo).array() + 2.0 * options.padding;
  system.structure.box = Box::orthorhombic(size.x(), size.y(), size.z());
  system.solute_beads = system.structure.atom_count();
  if (options.solvent.solvate) add_water_and_ions(system, scan_itps(system.folder), options.solvent, last_number);
  system.structure.title = input + " (Martini 3 protein, backmap map --martini-topology)";
  return system;
}

}    // namespace BACKMAP
