// backmap: command-line tools of BACKMAP (mapping, round-trip checks; more by later releases).
#include "commands.h"

#include "all_atom_builder.h"
#include "mapping.h"
#include "model.h"
#include "structure_io.h"

#include <iostream>
#include <map>

int main(int argc, char **argv)
{
  CLI::App app{"backmap: coarse-grained <-> atomistic structures (BACKMAP)"};
  app.require_subcommand(1);
  std::map<CLI::App *, BACKMAP::tool::Runner> runners;
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  auto add = [&](const std::function<BACKMAP::tool::Runner(CLI::App &)> &adder) {
    const std::size_t before = app.get_subcommands({}).size();
    BACKMAP::tool::Runner run = adder(app);
    runners[app.get_subcommands({})[before]] = run;
  };
  add(BACKMAP::tool::add_map_command);
  add(BACKMAP::tool::add_roundtrip_command);
  add([&](CLI::App &a) { return BACKMAP::tool::add_train_command(a, command_line); });
  add(BACKMAP::tool::add_run_command);
  add(BACKMAP::tool::add_eval_command);
  add(BACKMAP::tool::add_model_command);
  add(BACKMAP::tool::add_build_command);
  add(BACKMAP::tool::add_cg_system_command);
  add(BACKMAP::tool::add_lammps_system_command);
  CLI11_PARSE(app, argc, argv);
  try {
    for (auto &[sub, run] : runners)
      if (sub->parsed()) return run();
  } catch (const BACKMAP::MappingError &e) {
    std::cerr << "backmap: mapping error: " << e.what() << "\n";
    return 2;
  } catch (const BACKMAP::ModelError &e) {
    std::cerr << "backmap: model error: " << e.what() << "\n";
    return 2;
  } catch (const BACKMAP::BuildError &e) {
    std::cerr << "backmap: " << e.what() << "\n";
    return 2;
  } catch (const BACKMAP::FileError &e) {
    std::cerr << "backmap: " << e.what() << "\n";
    return 2;
  } catch (const std::exception &e) {
    std::cerr << "backmap: " << e.what() << "\n";
    return 2;
  }
  return 1;
}
