#include "elements.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <unordered_map>

namespace BACKMAP {

namespace {

const std::unordered_map<std::string, double> &mass_table()
{
  static const std::unordered_map<std::string, double> table = {
      {"H", 1.008},    {"D", 2.014},   {"C", 12.011},  {"N", 14.007},  {"O", 15.999},
      {"S", 32.06},    {"P", 30.974},  {"SE", 78.971}, {"F", 18.998},  {"CL", 35.45},
      {"BR", 79.904},  {"I", 126.90},  {"NA", 22.990}, {"K", 39.098},  {"MG", 24.305},
      {"CA", 40.078},  {"ZN", 65.38},  {"FE", 55.845}, {"MN", 54.938}, {"CU", 63.546},
      {"CO", 58.933},  {"NI", 58.693}, {"CD", 112.41}, {"HG", 200.59}, {"LI", 6.94},
      {"CS", 132.91}, {"RB", 85.468}, {"SR", 87.62},  {"BA", 137.33}, {"B", 10.81},
      {"SI", 28.085}};
  return table;
}

std::string upper(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

}    // namespace

double element_mass(const std::string &element)
{
  auto it = mass_table().find(upper(element));
  if (it == mass_table().end()) throw std::invalid_argument("unknown element '" + element + "'");
  return it->second;
}

bool is_known_element(const std::string &element)
{
  return mass_table().count(upper(element)) > 0;
}

std::string guess_element(const std::string &atom_name, const std::string &residue_name)
{
  const std::string name = upper(atom_name);
  const std::string res = upper(residue_name);
  static const char *ions[] = {"NA", "CL", "K", "MG", "CA", "ZN", "LI", "CS", "RB", "BR", "FE", "MN"};
  for (const char *ion : ions) {
    if (name == ion && (res == ion || res == std::string(ion) + "+" || res == std::string(ion) + "-"
                        || res == "ION"))
      return ion;
  }
  for (char c : name) {
    if (std::isalpha(static_cast<unsigned char>(c))) return std::string(1, c);
  }
  return "";
}

}    // namespace BACKMAP
