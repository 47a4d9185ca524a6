#include "minimisation_protocol.h"

#include <sstream>

namespace BACKMAP {

std::vector<std::string> heavy_atom_group_commands(const std::string &group)
{
  return {"variable backmap_heavy atom \"mass > 1.5\"", "group " + group + " variable backmap_heavy",
          "variable backmap_heavy delete"};
}

std::vector<std::string> minimisation_commands(const MinimisationProtocol &p, const std::string &group,
                                               const std::vector<std::string> &after_hydrogens,
                                               const std::vector<std::string> &after_all)
{
  std::ostringstream minimize;
  // etol 0: the force tolerance alone decides; norm max: on the largest force component, as
  // the protocol's 500 kJ/mol/nm is meant
  minimize << "minimize 0.0 " << p.force_tolerance << ' ' << p.max_iterations << ' ' << 10 * p.max_iterations;
  std::vector<std::string> out = {"min_modify norm max", "fix backmap_hold " + group + " setforce 0.0 0.0 0.0",
                                  minimize.str(), "unfix backmap_hold"};
  out.insert(out.end(), after_hydrogens.begin(), after_hydrogens.end());
  std::ostringstream spring;
  spring << "fix backmap_restrain " << group << " spring/self " << p.restraint;
  out.push_back(spring.str());
  out.push_back(minimize.str());
  out.push_back("unfix backmap_restrain");
  out.insert(out.end(), after_all.begin(), after_all.end());
  return out;
}

}    // namespace BACKMAP
