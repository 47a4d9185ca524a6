/* BACKMAP core, forcefield layer: LAMMPS's bonded types numbered as first used (see lammps_type_table.h). */
#include "lammps_type_table.h"

#include "lammps_writer_text.h"

#include <algorithm>

namespace BACKMAP::lammps_writer {

std::string style_of(const std::vector<std::string> &styles)
{
  if (styles.size() == 1) return styles[0];
  std::string hybrid = "hybrid";
  for (const std::string &s : styles) hybrid += " " + s;
  return hybrid;
}

std::vector<std::string> styles_used(const std::vector<MoleculeModel> &molecules, std::vector<Draft> MoleculeModel::*list)
{
  std::vector<std::string> styles;
  for (const MoleculeModel &m : molecules)
    for (const Draft &d : m.*list)
      if (std::find(styles.begin(), styles.end(), d.style) == styles.end()) styles.push_back(d.style);
  return styles;
}

int type_of(TypeTable &table, const Draft &d, bool hybrid)
{
  std::string text = (hybrid ? d.style + " " : std::string()) + d.coefficients;
  if (d.charmm) text += " " + number(d.weight);
  if (!d.kind.empty()) {
    const int before = table.size();
    const int id = table.add(d.kind + ":" + text, d.comment);
    if (table.size() > before) table.coefficients.back() = text;
    return id;
  }
  return table.add(text, d.comment);
}

std::vector<int> types_of_kind(const TypeTable &table, const std::string &kind)
{
  std::vector<int> ids;
  for (const auto &[key, id] : table.ids)
    if (key.rfind(kind + ":", 0) == 0) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}    // namespace BACKMAP::lammps_writer
