/* BACKMAP package: fix backmap, its command line: the model files and keywords, checked as
   LAMMPS styles check theirs, then the models and the topology, each residue of the topology
   given to one model as `backmap run` gives it (residue_routing.h). */

#include "fix_backmap.h"

#include "comm.h"
#include "error.h"

#include "file_formats.h"
#include "model.h"
#include "model_set.h"
#include "residue_matching.h"
#include "residue_routing.h"
#include "structure_io.h"
#include "topology_backmapper.h"

#include <algorithm>
#include <cstring>

using namespace LAMMPS_NS;

namespace {

bool yes_or_no(const char *keyword, const char *value, Error *error)
{
  if (strcmp(value, "yes") == 0) return true;
  if (strcmp(value, "no") != 0) error->all(FLERR, "Fix backmap: {} must be yes or no, not {}", keyword, value);
  return false;
}

}    // namespace

void FixBackmap::parse_keywords(int narg, char **arg)
{
  if (narg < 4) error->all(FLERR, "Illegal fix backmap command: expected fix ID group backmap MODEL keyword value ...");
  // one or more model files, up to the first keyword
  static const char *keywords[] = {"topology", "every", "dump", "threads", "chunk", "refine", "format",
                                   "hydrogens", "forcefield", "minimize", "files"};
  auto is_keyword = [&](const char *word) {
    for (const char *k : keywords)
      if (strcmp(word, k) == 0) return true;
    return false;
  };
  int iarg = 3;
  std::string format_name;
  for (; iarg < narg && !is_keyword(arg[iarg]); ++iarg) model_files.emplace_back(arg[iarg]);
  if (model_files.empty()) error->all(FLERR, "Illegal fix backmap command: expected a model file before {}", arg[3]);
  nevery = 0;
  files_prefix = std::string(id) + "_allatom";
  for (; iarg < narg; iarg += 2) {
    if (iarg + 1 >= narg) error->all(FLERR, "Illegal fix backmap command: keyword {} needs a value", arg[iarg]);
    const char *key = arg[iarg], *value = arg[iarg + 1];
    if (strcmp(key, "topology") == 0) topology_file = value;
    else if (strcmp(key, "every") == 0) nevery = utils::inumeric(FLERR, value, false, lmp);
    else if (strcmp(key, "dump") == 0) dump_file = value;
    else if (strcmp(key, "threads") == 0) threads = utils::inumeric(FLERR, value, false, lmp);
    else if (strcmp(key, "chunk") == 0) chunk = utils::bnumeric(FLERR, value, false, lmp);
    else if (strcmp(key, "refine") == 0) refine = yes_or_no(key, value, error);
    else if (strcmp(key, "format") == 0) format_name = value;
    else if (strcmp(key, "hydrogens") == 0) hydrogens = yes_or_no(key, value, error);
    else if (strcmp(key, "forcefield") == 0) force_field = value;
    else if (strcmp(key, "minimize") == 0) minimize = yes_or_no(key, value, error);
    else if (strcmp(key, "files") == 0) files_prefix = value;
    else error->all(FLERR, "Illegal fix backmap command: unknown keyword {}", key);
  }
  if (nevery <= 0) error->all(FLERR, "Fix backmap needs 'every N' with N > 0");
  if (topology_file.empty()) error->all(FLERR, "Fix backmap needs 'topology DATA_FILE' (the data file backmap map wrote)");
  if (dump_file.empty()) error->all(FLERR, "Fix backmap needs 'dump FILE' (its format: the format keyword, else the extension, else PDB)");
  if (threads < 1) error->all(FLERR, "Fix backmap: threads must be at least 1");
  if (chunk < 0) error->all(FLERR, "Fix backmap: chunk must be 0 (all beads at once) or a positive bead count");
  // the frames must never overwrite an input
  std::vector<std::string> inputs = model_files;
  inputs.push_back(topology_file);
  for (const std::string &input : inputs)
    if (BACKMAP::same_file(input, dump_file))
      error->all(FLERR, "Fix backmap: dump {} is the fix's input {}; choose another file name", dump_file, input);
  // the format keyword, else the dump's extension (the core's format registry), else PDB
  try {
    format = BACKMAP::frame_writer_format(dump_file, format_name);
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap: {}", e.what());
  }
  check_all_atom_settings();
}

// The models, the topology, and which model backmaps each residue: a residue goes to the model
// that knows its name, an amino acid several models know to the one that knows most of its
// chain stretch, decided once on the topology by the function `backmap run` uses on its first
// frame (so the fix and the tool give the same residues to the same models).
void FixBackmap::load_models()
{
  BACKMAP::Structure topology;
  std::vector<int> owner;
  try {
    BACKMAP::Model::set_threads(threads);
    models = std::make_unique<BACKMAP::ModelSet>(
        BACKMAP::ModelSet::load(model_files, BACKMAP::SharedNames::AminoAcidsRouted));
    topology = BACKMAP::read_structure(topology_file);
    owner = BACKMAP::route_residues(topology, *models);
    for (std::size_t m = 0; m < models->size(); ++m) {
      std::vector<bool> mine(topology.residues.size());
      for (std::size_t r = 0; r < mine.size(); ++r) mine[r] = owner[r] == static_cast<int>(m);
      // (an amino acid several models know: the first model's mapping, for the atom names that
      // compute backmap/rmsd and the replica's forward map read by residue name)
      for (const auto &molecule : models->model(m).mappings().molecules())
        if (!all_mappings.find(molecule.name)) all_mappings.add(molecule);
      // a model the routing gives nothing has no work (backmap run skips it alike)
      if (std::find(mine.begin(), mine.end(), true) == mine.end()) continue;
      try {
        backmappers.push_back(std::make_unique<BACKMAP::TopologyBackmapper>(models->model(m), topology, &mine));
      } catch (const std::exception &e) {
        throw std::runtime_error(model_files[m] + ": " + e.what());
      }
      backmapper_model.push_back(m);
    }
    if (backmappers.empty())
      throw BACKMAP::ModelError("no residue of the topology is known to the model" +
                                std::string(models->size() > 1 ? "s" : "") + " (trained for mapping '" +
                                models->model(0).mapping_name() + "'" + (models->size() > 1 ? " and others" : "") +
                                ")");
  } catch (const std::exception &e) {
    error->all(FLERR, "Fix backmap: {}", e.what());
  }
  if (comm->me == 0) report_models(topology, owner);
}

// The log (rank 0): each model's share, and what is left out.
void FixBackmap::report_models(const BACKMAP::Structure &topology, const std::vector<int> &owner)
{
  std::size_t virtual_sites = 0;
  for (std::size_t m = 0, b = 0; m < models->size(); ++m) {
    const auto &model = models->model(m);
    if (b == backmappers.size() || backmapper_model[b] != m) {
      utils::logmesg(lmp, "Fix backmap: model {} (mapping '{}') backmaps no residue of the topology\n", model_files[m],
                     model.mapping_name());
      continue;
    }
    const auto &backmapper = *backmappers[b++];
    utils::logmesg(lmp, "Fix backmap: model {} (mapping '{}', cutoff {} A), {} beads in {} residues backmapped\n",
                   model_files[m], model.mapping_name(), model.cutoff(), backmapper.bead_count(),
                   backmapper.residue_count());
    if (refine && model.geometry().empty())
      utils::logmesg(lmp, "Fix backmap: {} carries no ideal geometry; its residues are written unrefined\n",
                     model_files[m]);
    virtual_sites += backmapper.virtual_sites();    // each residue is one model's
  }
  // residues no model knows
  std::vector<std::string> unknown;
  for (std::size_t r = 0; r < owner.size(); ++r) {
    if (owner[r] >= 0) continue;
    const BACKMAP::Residue &res = topology.residues[r];
    unknown.push_back(res.label() + ": " +
                      (BACKMAP::is_water_name(res.name) ? "water (not mapped)" : "no model for residue name " + res.name));
  }
  if (!unknown.empty())
    utils::logmesg(lmp, "Fix backmap: {} residues of the topology are not backmapped (e.g. {})\n", unknown.size(),
                   unknown[0]);
  if (virtual_sites > 0)
    utils::logmesg(lmp, "Fix backmap: {} virtual sites that carry no atoms (GoMartini / water-bias CA) are left out\n",
                   virtual_sites);
}
