/* The `backmap` program: one subcommand per file, registered here. */
#ifndef BACKMAP_TOOL_COMMANDS_H
#define BACKMAP_TOOL_COMMANDS_H

#include <CLI/CLI.hpp>

#include <functional>

namespace BACKMAP::tool {

// Each adds its subcommand to the app and returns what runs it (the exit code).
using Runner = std::function<int()>;
Runner add_map_command(CLI::App &app);
Runner add_roundtrip_command(CLI::App &app);
Runner add_train_command(CLI::App &app, const std::string &command_line);
Runner add_run_command(CLI::App &app);
Runner add_eval_command(CLI::App &app);
Runner add_model_command(CLI::App &app);
Runner add_build_command(CLI::App &app);
Runner add_cg_system_command(CLI::App &app);
Runner add_lammps_system_command(CLI::App &app);

}    // namespace BACKMAP::tool

#endif
