/* -*- c++ -*- ----------------------------------------------------------
   BACKMAP package: fix backmap writes atomistic frames reconstructed from
   the CG beads of a running simulation (doc/src/fix_backmap.rst).
------------------------------------------------------------------------- */

#ifdef FIX_CLASS
// clang-format off
FixStyle(backmap,FixBackmap);
// clang-format on
#else

#ifndef LMP_FIX_BACKMAP_H
#define LMP_FIX_BACKMAP_H

#include "fix.h"

#include "file_format.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bead_graph.h"
#include "beads_from_atoms.h"
#include "geometry_refinement.h"
#include "mapping_set.h"
#include "minimisation_protocol.h"
#include "structure.h"

namespace BACKMAP {
class AllAtomFrames;
class PdbFrameWriter;
class ModelSet;
class TopologyBackmapper;
}    // namespace BACKMAP

namespace LAMMPS_NS {

class BackmapMinimiser;

// The class is one idea per file: the hooks and the stages of a frame (fix_backmap.cpp), the
// keywords and the models (fix_backmap_settings.cpp), checks of the beads against the
// topology (fix_backmap_checks.cpp), placement over the ranks and the sink
// (fix_backmap_placement.cpp), hydrogens and minimisation of the frames written
// (fix_backmap_all_atom.cpp).
class FixBackmap : public Fix {
 public:
  FixBackmap(class LAMMPS *, int, char **);
  ~FixBackmap() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  double compute_vector(int) override;
  void write_restart(FILE *) override;
  void restart(char *) override;

  // The latest reconstruction (on rank 0 only; null elsewhere and before the first frame):
  // heavy atoms, as the models place them (with hydrogens yes, before they are added).
  const BACKMAP::Structure *latest_frame() const { return latest.get(); }
  // every molecule the fix's models know (compute backmap/rmsd matches atoms with them); a
  // name several models know (an amino acid, routed by chain stretch) with the first one's mapping
  const BACKMAP::MappingSet &mappings() const { return all_mappings; }
  long frames_written() const { return frames; }
  // The residues of every frame, in the frame's order (every rank): each one's beads, by name
  // and atom ID, in its mapping's bead order
  std::vector<BACKMAP::CgResidueBeads> frame_residues() const;
  bigint chunk_size() const { return chunk; }
  // The backmap of the beads as they are now, as a frame would hold it (heavy atoms, on rank 0;
  // null elsewhere), for fix backmap/replica's resolution exchange, which backmaps trial CG
  // configurations. Collective; owned and ghost atoms must be current (as after a
  // re-neighbouring). Nothing is written, and the fix's latest frame, step and counts stay.
  std::unique_ptr<BACKMAP::Structure> backmap_current();

 protected:
  // The stages of a frame: collect -> neighbours -> predict -> place (on the ranks the blocks
  // are given to) -> sink (rank 0 writes). A Kokkos twin overrides collect() and
  // build_neighbours() (its own kernels); prediction, placement and the sinks are shared.
  struct Collected {
    std::vector<long> ids;                     // the group's owned atoms first, then ghosts
    std::vector<BACKMAP::Vec3> positions;      // as LAMMPS holds them (ghosts are images)
    std::vector<BACKMAP::Vec3> unwrapped;      // owned atoms only, through their image flags
    std::size_t owned = 0;
  };
  virtual void collect(Collected &frame);
  // For each owned particle of `frame`, every bead of model `m`'s residues within the model
  // cutoff among owned and ghosts, in ascending local index (an empty row for particles the
  // model does not backmap): TopologyBackmapper::cell_list_neighbours. Throws on bad input.
  virtual void build_neighbours(const Collected &frame, std::size_t m, BACKMAP::NeighbourList &out);
  // K vectors per owned bead of model `m`'s residues
  std::vector<BACKMAP::Vec3> predict(const Collected &frame, std::size_t m);
  // the models that backmap some residue of the topology (each has its backmapper)
  std::size_t model_count() const { return backmappers.size(); }
  const BACKMAP::TopologyBackmapper &backmapper(std::size_t m) const { return *backmappers[m]; }

 private:
  // fix_backmap_settings.cpp
  void parse_keywords(int narg, char **arg);
  void load_models();
  void report_models(const BACKMAP::Structure &topology, const std::vector<int> &owner);

  // fix_backmap.cpp
  void backmap_frame(bool write);    // write: false rebuilds the latest frame in memory only

  // fix_backmap_checks.cpp
  void check_every_bead_present(const std::vector<long> &ids, std::size_t owned);
  void check_beads_of(const BACKMAP::TopologyBackmapper &backmapper, const std::vector<long> &ids, std::size_t owned);
  void warn_about_masses();
  bool masses_checked = false;

  // fix_backmap_placement.cpp
  std::vector<double> gather_on_root(const std::vector<double> &send);
  BACKMAP::Structure place_block(std::size_t model, std::pair<std::size_t, std::size_t> block,
                                 const std::vector<double> &all, BACKMAP::RefinementReport &report);
  void place_and_write(const Collected &frame, const std::vector<std::vector<BACKMAP::Vec3>> &vectors, bool write);
  static constexpr long placement_block_beads = 2000;    // blocks shared out over ranks without chunk

  // fix_backmap_all_atom.cpp: the frames written with hydrogens (and minimised)
  void check_all_atom_settings();            // every rank, in the constructor
  long write_whole_frame(const BACKMAP::Structure &heavy);    // rank 0; returns the atoms written
  BACKMAP::Structure all_atom_frame(const BACKMAP::Structure &heavy);    // rank 0
  void stop_if_failed_on_root(const std::string &failure);    // collective

  std::unique_ptr<BACKMAP::ModelSet> models;
  std::vector<std::unique_ptr<BACKMAP::TopologyBackmapper>> backmappers;    // the models with residues
  std::vector<std::size_t> backmapper_model;    // the model of each backmapper
  BACKMAP::NeighbourList neighbours;    // refilled every frame; its buffers only grow
  BACKMAP::MappingSet all_mappings;
  std::unique_ptr<BACKMAP::PdbFrameWriter> writer;
  std::unique_ptr<BACKMAP::Structure> latest;
  std::vector<int> latest_slot;    // rank 0: topology residue -> its residue in `latest`
  std::vector<std::string> model_files;
  std::string topology_file, dump_file;
  BACKMAP::FileFormat format;    // of the dump: the format keyword, else its extension, else PDB
  int threads;
  bool refine;              // geometry refinement after the network (keyword refine)
  bigint chunk;             // beads per network evaluation; 0: all owned beads at once
  double seconds;           // spent in this fix over the whole run
  long atoms_last;          // atoms in the last frame
  long frames;
  bigint last_step;         // timestep of the last frame written
  long unconverged = 0;     // chain refinements that stopped unconverged (rank 0)
  bool frame_in_memory = false;    // on every rank: rank 0 holds the latest whole frame

  // the frames written with hydrogens (keywords hydrogens, forcefield, minimize, files)
  bool hydrogens = false, minimize = false;
  std::string force_field = "charmm36", files_prefix;
  BACKMAP::MinimisationProtocol protocol;
  std::unique_ptr<BACKMAP::AllAtomFrames> all_atom;     // rank 0
  std::unique_ptr<BackmapMinimiser> minimiser;          // rank 0, with minimize yes
  bool all_atom_files_written = false;                  // rank 0
};

}    // namespace LAMMPS_NS

#endif
#endif
