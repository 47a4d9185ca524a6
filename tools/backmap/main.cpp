// backmap: command-line tools of BACKMAP (mapping, round-trip checks; more by later releases).
#include "commands.h"

#include "mapping.h"
#include "structure_io.h"

#include <iostream>
#include <map>

int main(int argc, char **argv)
{
  CLI::App app{"backmap: coarse-grained <-> atomistic structures (BACKMAP)"};
  app.require_subcommand(1);
  std::map<CLI::App *, BACKMAP::tool::Runner> runners;
  auto add = [&](BACKMAP::tool::Runner (*adder)(CLI::App &)) {
    const std::size_t before = app.get_subcommands({}).size();
    BACKMAP::tool::Runner run = adder(app);
    runners[app.get_subcommands({})[before]] = run;
  };
  add(BACKMAP::tool::add_map_command);
  add(BACKMAP::tool::add_roundtrip_command);
  CLI11_PARSE(app, argc, argv);
  try {
    for (auto &[sub, run] : runners)
      if (sub->parsed()) return run();
  } catch (const BACKMAP::MappingError &e) {
    std::cerr << "backmap: mapping error: " << e.what() << "\n";
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
