/* BACKMAP core, forcefield layer: the LAMMPS settings file (see lammps_settings_file.h). */
#include "lammps_settings_file.h"

#include "lammps_angle_table.h"

#include <sstream>

namespace BACKMAP::lammps_writer {

namespace {

// Martini in LAMMPS terms: GROMACS's 20 fs and its Verlet buffer (rlist ~ rc + 0.1-0.3 nm).
const char *martini_run_notes =
    "# Running Martini with these files (recommended; GROMACS's Martini 3 run parameters in LAMMPS terms):\n"
    "#   timestep        20.0                        # fs (units real): Martini's 20 fs step\n"
    "#   neighbor        3.0 bin                     # 3 A skin over the 11 A cut-off (GROMACS: rlist >= 1.1 nm, buffered)\n"
    "#   neigh_modify    delay 0 every 1 check yes   # beads move fast at 20 fs; rebuild whenever one has moved 1.5 A\n"
    "#   comm_modify     cutoff 25.0                 # only with many ranks: ghost atoms for bonds/angles of long molecules\n"
    "#   fix             md all nvt temp 310.0 310.0 2000.0   # or nph/npt (GROMACS: v-rescale 1 ps, c-rescale 12 ps)\n"
    "#   thermo_style    custom step temp pe ebond eangle edihed evdwl ecoul press\n"
    "# Energy minimise first (minimize 1e-4 1e-6 1000 10000) when the beads come from a mapping.\n";

}    // namespace

std::string settings_text(const SystemModel &system, const LammpsWriterOptions &options, const Files &files,
                          const LammpsSystemFiles &result, const ReactionField &rf, const Numbered &types,
                          const std::vector<std::string> &dihedral_styles, const std::vector<std::string> &angle_styles)
{
  const std::string &pair_style = result.pair_style, &read_data = result.read_data_line;
  std::ostringstream out;
  out << "# LAMMPS settings for " << source_text(options.source)
      << "\n# written by BACKMAP (lammps_system_writer); units real (kcal/mol, Angstrom), atom_style full.\n"
      << "# Use the three files in this order in your input (the fix cmap below must exist before read_data,\n"
      << "# and read_data must name it with `fix " << options.cmap_fix_id << " crossterm CMAP` when there is CMAP):\n"
      << "#   include         " << files.settings << "\n"
      << "#   " << read_data << "\n"
      << "#   include         " << files.coeffs << "\n"
      << "# Keep the special_bonds line as it is: the 1-4 interactions depend on it"
      << (system.one_four_by_dihedral ? ", on pair style lj/charmm/coul/charmm\n# (its 1-4 sigma/epsilon) and on dihedral charmm's weights.\n"
                                      : ".\n")
      << "units           real\natom_style      full\nboundary        p p p\n"
      << "pair_style      " << pair_style << "\n";
  if (rf.on) {
    out << "# GROMACS's vdw-modifier Potential-shift: every Lennard-Jones pair shifted to 0 at the cut-off\n"
        << (rf.table() ? "pair_modify     pair lj/cut/coul/cut shift yes\n" : "pair_modify     shift yes\n");
    if (rf.table())
      out << "# reaction field: the 1/r part is lj/cut/coul/cut's (divided by the dielectric), the rest\n"
          << "# C qi qj (k_rf r^2 - c_rf) the table's, in evdwl, for every pair within the cut-off and, as in\n"
          << "# GROMACS, for excluded pairs too (their special_bonds factor is " << listed_but_excluded
          << ", so LAMMPS lists them;\n# the table takes them at full weight). GROMACS's Coulomb (SR) = ecoul of\n"
          << "# lj/cut/coul/cut + evdwl of table + the constant " << number(result.coulomb_self_energy)
          << " kcal/mol (-C c_rf qi^2 / 2 per atom, no force);\n# its LJ (SR) = evdwl of lj/cut/coul/cut. Separate them with\n"
          << "#   compute lj all pair lj/cut/coul/cut evdwl     (c_lj: LJ)\n"
          << "#   compute coul all pair lj/cut/coul/cut ecoul   (c_coul: Coulomb 1/r)\n"
          << "#   compute rf all pair table evdwl               (c_rf: the rest of the reaction field)\n"
          << "pair_modify     pair table special lj 1.0 1.0 1.0\n";
  }
  if (!system.site_pairs.empty())
    out << "# virtual sites on one atom (GoMartini's CA sites) are carried by their atom, whose LAMMPS type is its own;\n"
        << "# the Lennard-Jones between sites (Go contacts) is lj/cut's, for excluded pairs too (GROMACS's sites carry\n"
        << "# no exclusions), shifted like the rest; GROMACS's LJ (SR) = evdwl of lj/cut/coul/cut + evdwl of lj/cut:\n"
        << "#   compute go all pair lj/cut evdwl              (c_go: the sites' Lennard-Jones)\n"
        << (rf.on ? "pair_modify     pair lj/cut shift yes\n" : "") << "pair_modify     pair lj/cut special lj 1.0 1.0 1.0\n";
  if (options.nonbonded.epsilon_r != 1.0) out << "dielectric      " << number(options.nonbonded.epsilon_r) << "\n";
  if (types.bonds.size()) out << "bond_style      harmonic\n";
  if (types.angles.size()) {
    std::string style = style_of(angle_styles);
    if (const auto table = style.find("table"); table != std::string::npos)
      style.insert(table + 5, " linear " + std::to_string(angle_table_points));
    if (!result.angle_table.empty())
      out << "# restricted bending (GROMACS angles 10) is tabulated in " << result.angle_table << "\n";
    out << "angle_style     " << style << "\n";
  }
  if (types.dihedrals.size()) {
    if (result.dihedral_constant_energy != 0.0)
      out << "# dihedrals whose phase is not a whole number of degrees are two dihedral charmm terms each (phases 0\n"
          << "# and 90): the same forces, and GROMACS's dihedral energy = edihed + " << number(result.dihedral_constant_energy)
          << " kcal/mol\n";
    out << "dihedral_style  " << style_of(dihedral_styles) << "\n";
  }
  if (types.impropers.size()) out << "improper_style  harmonic\n";
  if (system.exclusions_only)
    out << "# no [ pairs ]: GROMACS's exclusions (atoms up to nrexcl = " << system.special_depth
        << " bonds apart, constraints and [ exclusions ]\n# as K = 0 bonds counted) are LAMMPS's special neighbours; all others interact fully\n";
  else if (system.one_four_by_dihedral)
    out << "# 1-4 pairs come from dihedral charmm (weight " << number(system.one_four_weight)
        << " on one term per GROMACS [ pairs ] line); none from the pair style\n";
  else
    out << "# 1-4 pairs (GROMACS [ pairs ], atoms three bonds apart) scaled by fudgeLJ and fudgeQQ\n";
  out << "special_bonds   " << result.special_bonds << "\n";
  if (!result.constraint_bond_types.empty()) {
    std::string bond_types;
    for (int t : result.constraint_bond_types) bond_types += " " + std::to_string(t);
    const bool shake = options.constraints == LammpsConstraints::Shake;
    out << "# GROMACS [ constraints ]: bond type(s)" << bond_types << ", harmonic with kb "
        << number(options.constraint_force_constant) << " kJ/mol/nm^2"
        << (shake ? "; fix shake (RIGID package) holds them at r0\n"
                  : ";\n# with LAMMPS's RIGID package, SHAKE can hold them at r0 instead (then their energy is ~0):\n# ")
        << "fix             " << options.shake_fix_id << " all shake 0.0001 100 0 b" << bond_types << "\n";
  }
  if (rf.on) out << martini_run_notes;
  if (!system.grids.empty())
    out << "# CMAP: " << system.grids.size() << " grid(s) in " << files.cmap << "; the fix adds its energy to pe\n"
        << "fix             " << options.cmap_fix_id << " all cmap " << files.cmap << "\n"
        << "fix_modify      " << options.cmap_fix_id << " energy yes\n";
  return out.str();
}

}    // namespace BACKMAP::lammps_writer
