// backmap model: what a model file holds (molecules, bead types, cutoff, size, provenance),
// and a copy of it that backmaps only some of its molecules, so that it can share a run with
// another model of the others (a protein model next to a lipid model).
#include "commands.h"

#include "file_error.h"
#include "dataset.h"
#include "model.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>

namespace BACKMAP::tool {

namespace {

struct ModelOptions {
  std::string input, output;
  std::vector<std::string> molecules, geometry_inputs;
  bool json = false;
};

void describe(const Model &model, const std::string &path, bool json)
{
  std::map<std::string, int> beads;
  for (const BeadType &t : model.vocabulary().types()) ++beads[t.molecule];
  if (json) {
    nlohmann::json j = {{"file", path},
                        {"mapping", model.mapping_name()},
                        {"cutoff", model.cutoff()},
                        {"own_residue_only", model.config().own_residue_only},
                        {"slots", model.slots()},
                        {"parameters", model.parameter_count()},
                        {"refines", !model.geometry().empty()},
                        {"molecules", beads},
                        {"provenance", nlohmann::json::parse(model.provenance_json())}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << path << "\n"
            << "  mapping set:  " << model.mapping_name() << "\n"
            << "  cutoff:       " << model.cutoff() << " A" << (model.config().own_residue_only ? " (own residue only)" : "") << "\n"
            << "  parameters:   " << model.parameter_count() << "\n"
            << "  refinement:   " << (model.geometry().empty() ? "no ideal geometry (no refinement)" : "ideal geometry stored")
            << "\n  molecules (" << beads.size() << "):";
  for (const auto &[name, n] : beads) std::cout << " " << name << "(" << n << ")";
  std::cout << "\n";
}

}    // namespace

Runner add_model_command(CLI::App &app)
{
  auto o = std::make_shared<ModelOptions>();
  CLI::App *sub = app.add_subcommand("model", "Show what a model file holds, or write a copy that backmaps only some molecules");
  sub->add_option("model", o->input, "Model file (.pt)")->required()->check(CLI::ExistingFile);
  sub->add_option("--molecules", o->molecules, "Keep only these molecules (names as in the model's mappings)")
      ->delimiter(',');
  sub->add_option("-o,--output", o->output, "Where the restricted copy goes (with --molecules)");
  sub->add_option("--measure-geometry", o->geometry_inputs,
                  "Measure the ideal geometry again on these atomistic structures (files, folders, globs) and write "
                  "the copy to -o (use the training split only)");
  sub->add_flag("--json", o->json, "Print the description as JSON");
  return [o]() {
    Model model = Model::load(o->input);
    if (!o->geometry_inputs.empty()) {
      // the ideal geometry the refinement pulls towards, measured again (on the training split
      // only: the test split must stay unseen)
      if (o->output.empty()) throw std::runtime_error("--measure-geometry needs -o FILE for the new copy");
      if (same_file(o->output, o->input))
        throw std::runtime_error(o->output + " is the input model; write the copy to another file");
      const auto files = expand_inputs(o->geometry_inputs);
      model.set_geometry(IdealGeometry::measure(files, model.mappings()));
      auto provenance = nlohmann::json::parse(model.provenance_json());
      provenance["geometry_measured_on"] = files;
      model.set_provenance_json(provenance.dump());
      if (o->molecules.empty()) {
        model.save(o->output);
        describe(model, o->output, o->json);
        return 0;
      }
    }
    if (o->molecules.empty()) {
      if (!o->output.empty()) throw std::runtime_error("-o needs --molecules: a copy of the whole model is just cp");
      describe(model, o->input, o->json);
      return 0;
    }
    if (o->output.empty()) throw std::runtime_error("--molecules needs -o FILE for the restricted copy");
    if (same_file(o->output, o->input))
      throw std::runtime_error(o->output + " is the input model; write the restricted copy to another file");
    const Model restricted = model.restricted_to(o->molecules);
    restricted.save(o->output);
    describe(restricted, o->output, o->json);
    return 0;
  };
}

}    // namespace BACKMAP::tool
