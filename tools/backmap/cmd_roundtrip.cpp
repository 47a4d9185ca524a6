// backmap roundtrip IN: the exact-reconstruction check for one file.
#include "commands.h"
#include "report.h"

#include "mapping_set.h"
#include "roundtrip.h"
#include "structure_io.h"

#include <iostream>
#include <memory>

namespace BACKMAP::tool {

namespace {

struct RoundtripOptions {
  std::string input, mapping = "martini3";
  double tolerance = 1e-4;
  bool json = false;
};

nlohmann::json class_json(const ClassError &c)
{
  return {{"atoms", c.atoms}, {"max_error", c.max_error}};
}

int run_roundtrip(const RoundtripOptions &o)
{
  const MappingSet mappings = MappingSet::load(o.mapping);
  const Structure atomistic = read_structure(o.input);
  const RoundtripReport r = roundtrip(atomistic, mappings);
  const bool pass = r.max_error() <= o.tolerance && r.residues_mapped > 0;
  if (o.json) {
    nlohmann::json j = {{"format_version", 1},
                        {"input", o.input},
                        {"mapping", mappings.name()},
                        {"residues_total", r.residues_total},
                        {"residues_mapped", r.residues_mapped},
                        {"atoms_reconstructed", r.atoms_reconstructed},
                        {"hydrogens_not_backmapped", r.hydrogens_not_backmapped},
                        {"orphan_hydrogens", r.orphan_hydrogens},
                        {"classes", {{"backbone", class_json(r.backbone)},
                                     {"side_chain", class_json(r.side_chain)},
                                     {"molecule", class_json(r.molecule)}}},
                        {"max_error", r.max_error()},
                        {"tolerance", o.tolerance},
                        {"pass", pass},
                        {"skipped", skipped_json(r.skipped)}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << o.input << ": " << r.residues_mapped << " of " << r.residues_total << " residues, "
              << r.atoms_reconstructed << " heavy atoms reconstructed\n";
    for (AtomClass c : {AtomClass::Backbone, AtomClass::SideChain, AtomClass::Molecule}) {
      const ClassError &e = const_cast<RoundtripReport &>(r).of(c);
      if (e.atoms > 0)
        std::cout << "  " << atom_class_name(c) << ": " << e.atoms << " atoms, max error " << e.max_error << " A\n";
    }
    print_skipped(std::cout, r.skipped);
    std::cout << (pass ? "PASS" : "FAIL") << " (tolerance " << o.tolerance << " A)\n";
  }
  return pass ? 0 : 1;
}

}    // namespace

Runner add_roundtrip_command(CLI::App &app)
{
  auto o = std::make_shared<RoundtripOptions>();
  CLI::App *sub = app.add_subcommand(
      "roundtrip", "Check that beads + hierarchy vectors rebuild every mapped heavy atom of a structure exactly");
  sub->add_option("input", o->input, "atomistic structure (PDB, mmCIF, GRO; .gz too)")->required()->check(CLI::ExistingFile);
  sub->add_option("--mapping", o->mapping, "mapping set name or folder")->capture_default_str();
  sub->add_option("--tolerance", o->tolerance, "largest error that passes, in Angstrom")->capture_default_str();
  sub->add_flag("--json", o->json, "print the report as JSON (documented in doc/backmap_tool.md)");
  return [o] { return run_roundtrip(*o); };
}

}    // namespace BACKMAP::tool
