#include "mapping.h"
#include "mapping_formats.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace BACKMAP {

int line_of(const YAML::Node &node)
{
  return node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

MoleculeMapping parse_mapping_text(const std::string &text, const std::string &file)
{
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::ParserException &e) {
    fail_at<MappingError>(file, e.mark.line + 1, "not valid YAML: " + e.msg);
  }
  if (!doc.IsMap()) throw MappingError(file + ": a mapping file must be a YAML map with 'molecule' and 'atoms'");
  const YAML::Node atoms = doc["atoms"];
  if (!atoms) throw MappingError(file + ": no 'atoms' section");
  try {
    MoleculeMapping m;
    if (atoms.IsSequence()) m = parse_backmap_mapping(doc, file);
    else if (atoms.IsMap()) m = parse_reference_mapping(doc, file);
    if (!m.name.empty()) {
      m.text = text;
      return m;
    }
  } catch (const YAML::Exception &e) {
    fail_at<MappingError>(file, e.mark.line + 1, e.msg);
  }
  fail_at<MappingError>(file, line_of(atoms), "'atoms' must be a list (BACKMAP format) or a map (reference format)");
}

MoleculeMapping read_mapping_file(const std::string &path)
{
  std::ifstream in(path);
  if (!in) throw MappingError(path + ": cannot open mapping file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_mapping_text(buffer.str(), path);
}

}    // namespace BACKMAP
