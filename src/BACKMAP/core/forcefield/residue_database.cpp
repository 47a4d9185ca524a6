#include "residue_database.h"

#include "file_error.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

// A data line of a residue file: its tokens (comments after ';' dropped) and where it stands.
struct Line {
  std::vector<std::string> tokens;
  int number = 0;
  bool is_section() const { return tokens.size() >= 3 && tokens.front() == "[" && tokens.back() == "]"; }
  // "[ NH3+ ]" -> "NH3+"; "[ bonds ]" -> "bonds"
  std::string section() const
  {
    std::string s;
    for (std::size_t i = 1; i + 1 < tokens.size(); ++i) s += (i > 1 ? " " : "") + tokens[i];
    return s;
  }
  // keywords are read without regard to case ("[ Add ]" in charmm27.ff)
  std::string keyword() const
  {
    std::string s = section();
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  }
};

std::vector<Line> read_lines(const std::string &path)
{
  std::ifstream in(path);
  if (!in) fail_at(path, 0, "cannot open the file");
  std::vector<Line> out;
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    if (const auto c = text.find(';'); c != std::string::npos) text.erase(c);
    // "[ name ]" may be written "[name]": give the brackets tokens of their own
    std::string spaced;
    for (char ch : text) {
      if (ch == '[' || ch == ']') {
        spaced += ' ';
        spaced += ch;
        spaced += ' ';
      } else {
        spaced += ch;
      }
    }
    std::istringstream words(spaced);
    Line line;
    line.number = n;
    for (std::string w; words >> w;) line.tokens.push_back(w);
    if (!line.tokens.empty()) out.push_back(std::move(line));
  }
  return out;
}

double number_at(const std::string &path, const Line &line, std::size_t i, const char *what)
{
  if (i >= line.tokens.size()) fail_at(path, line.number, std::string("missing ") + what);
  try {
    std::size_t used = 0;
    const double v = std::stod(line.tokens[i], &used);
    if (used != line.tokens[i].size()) throw std::invalid_argument("trailing characters");
    return v;
  } catch (const std::exception &) {
    fail_at(path, line.number, std::string(what) + " '" + line.tokens[i] + "' is not a number");
  }
}

int integer_at(const std::string &path, const Line &line, std::size_t i, const char *what)
{
  const double v = number_at(path, line, i, what);
  if (v != static_cast<int>(v)) fail_at(path, line.number, std::string(what) + " '" + line.tokens[i] + "' is not a whole number");
  return static_cast<int>(v);
}

// A bonded term of `atoms` names; what follows them is its parameters (numbers or a macro).
BlockTerm term_of(const std::string &path, const Line &line, std::size_t atoms)
{
  if (line.tokens.size() < atoms) fail_at(path, line.number, "a term needs " + std::to_string(atoms) + " atom names");
  BlockTerm t;
  t.atoms.assign(line.tokens.begin(), line.tokens.begin() + atoms);
  for (std::size_t i = atoms; i < line.tokens.size(); ++i) t.parameters += (i > atoms ? " " : "") + line.tokens[i];
  return t;
}

std::size_t atoms_in_term(const std::string &section)
{
  if (section == "bonds" || section == "exclusions") return 2;
  if (section == "angles") return 3;
  if (section == "dihedrals" || section == "impropers") return 4;
  if (section == "cmap") return 5;
  return 0;
}

// The add types pdb2gmx knows and how many control atoms each takes.
std::size_t control_atoms_of(int type)
{
  switch (type) {
    case 1: case 2: case 3: case 4: case 6: case 7: case 8: case 9: case 10: case 11:
      return 3;
    case 5:
      return 4;
    default:
      return 0;
  }
}

AddRule rule_of(const std::string &path, const Line &line)
{
  AddRule r;
  r.file = path;
  r.line = line.number;
  r.count = integer_at(path, line, 0, "hydrogen count");
  r.type = integer_at(path, line, 1, "add type");
  if (line.tokens.size() < 3) fail_at(path, line.number, "missing the hydrogen name");
  r.name = line.tokens[2];
  const std::size_t need = control_atoms_of(r.type);
  if (need == 0) fail_at(path, line.number, "add type " + line.tokens[1] + " is not one of pdb2gmx's types 1-11");
  if (r.count < 1 || r.count > 4) fail_at(path, line.number, "hydrogen count " + line.tokens[0] + " is not 1 to 4");
  // types 2 and 6 are happy with fewer given atoms in some files; take what is there
  for (std::size_t i = 3; i < line.tokens.size(); ++i) r.control.push_back(line.tokens[i]);
  if (r.control.empty() || r.control.size() > need)
    fail_at(path, line.number, "add type " + std::to_string(r.type) + " takes " + std::to_string(need) +
                                   " control atoms, the line gives " + std::to_string(r.control.size()));
  return r;
}

}    // namespace

int BuildingBlock::find_atom(const std::string &atom) const
{
  for (std::size_t i = 0; i < atoms.size(); ++i)
    if (atoms[i].name == atom) return static_cast<int>(i);
  return -1;
}

ResidueDatabase ResidueDatabase::load(const std::string &force_field_folder)
{
  if (!fs::is_directory(force_field_folder)) fail_at(force_field_folder, 0, "no such force-field folder");
  ResidueDatabase db;
  db.folder_ = force_field_folder;
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(force_field_folder))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());    // pdb2gmx reads them in name order too
  auto ends_with = [](const std::string &s, const std::string &tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  for (const auto &p : files) {
    const std::string f = p.string();
    if (ends_with(f, ".rtp")) db.read_rtp(f);
    else if (ends_with(f, ".hdb")) db.read_hdb(f);
    else if (ends_with(f, ".n.tdb")) db.read_tdb(f, db.n_termini_);
    else if (ends_with(f, ".c.tdb")) db.read_tdb(f, db.c_termini_);
    else if (ends_with(f, ".r2b")) db.read_r2b(f);
    else if (ends_with(f, ".arn")) db.read_arn(f);
  }
  if (db.blocks_.empty()) fail_at(force_field_folder, 0, "the folder holds no .rtp building block: not a GROMACS force field");
  return db;
}

void ResidueDatabase::read_rtp(const std::string &path)
{
  BuildingBlock *block = nullptr;
  std::string section;
  bool bonded_types_read = false;
  for (const Line &line : read_lines(path)) {
    if (line.is_section()) {
      const std::string name = line.section(), key = line.keyword();
      if (key == "bondedtypes") {
        section = name;
        block = nullptr;
      } else if (key == "atoms" || atoms_in_term(key) > 0) {
        if (!block) fail_at(path, line.number, "[ " + name + " ] outside a building block");
        section = key;
      } else {
        // a new building block; a later file may redefine one (pdb2gmx takes the last)
        BuildingBlock b;
        b.name = name;
        b.file = path;
        b.line = line.number;
        blocks_[name] = std::move(b);
        block = &blocks_[name];
        section.clear();
      }
      continue;
    }
    if (section == "bondedtypes") {
      if (bonded_types_read) continue;    // every .rtp of a force field repeats it
      const std::size_t n = line.tokens.size();
      if (n < 4) fail_at(path, line.number, "[ bondedtypes ] needs at least 4 numbers");
      bonded_.bond = integer_at(path, line, 0, "bond type");
      bonded_.angle = integer_at(path, line, 1, "angle type");
      bonded_.dihedral = integer_at(path, line, 2, "dihedral type");
      bonded_.improper = integer_at(path, line, 3, "improper type");
      if (n > 4) bonded_.all_dihedrals = integer_at(path, line, 4, "all-dihedrals flag") != 0;
      if (n > 5) bonded_.exclusions = integer_at(path, line, 5, "nrexcl");
      if (n > 6) bonded_.hydrogen_pairs = integer_at(path, line, 6, "HH14 flag") != 0;
      if (n > 7) bonded_.remove_dihedrals = integer_at(path, line, 7, "RemoveDih flag") != 0;
      bonded_types_read = true;
    } else if (section == "atoms") {
      if (line.tokens.size() < 4) fail_at(path, line.number, "an atom needs a name, a type, a charge and a charge group");
      BlockAtom a;
      a.name = line.tokens[0];
      a.type = line.tokens[1];
      a.charge = number_at(path, line, 2, "charge");
      a.charge_group = integer_at(path, line, 3, "charge group");
      if (block->find_atom(a.name) >= 0) fail_at(path, line.number, "atom " + a.name + " twice in " + block->name);
      block->atoms.push_back(a);
    } else if (const std::size_t n = atoms_in_term(section); n > 0) {
      BlockTerm t = term_of(path, line, n);
      auto &into = section == "bonds"       ? block->bonds
                   : section == "angles"    ? block->angles
                   : section == "dihedrals" ? block->dihedrals
                   : section == "impropers" ? block->impropers
                   : section == "cmap"      ? block->cmap
                                            : block->exclusions;
      into.push_back(std::move(t));
    } else {
      fail_at(path, line.number, "data outside any section");
    }
  }
}

void ResidueDatabase::read_hdb(const std::string &path)
{
  const std::vector<Line> lines = read_lines(path);
  for (std::size_t i = 0; i < lines.size();) {
    const Line &head = lines[i];
    if (head.tokens.size() != 2) fail_at(path, head.number, "expected a residue name and its number of hydrogen lines");
    const int n = integer_at(path, head, 1, "number of hydrogen lines");
    if (n < 0 || i + 1 + n > lines.size())
      fail_at(path, head.number, head.tokens[0] + " announces " + head.tokens[1] + " lines; the file has fewer");
    std::vector<AddRule> rules;
    for (int k = 0; k < n; ++k) rules.push_back(rule_of(path, lines[i + 1 + k]));
    hydrogens_[head.tokens[0]] = std::move(rules);
    i += 1 + n;
  }
}

void ResidueDatabase::read_tdb(const std::string &path, std::vector<Terminus> &into)
{
  const std::vector<Line> lines = read_lines(path);
  Terminus *t = nullptr;
  std::string section;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line &line = lines[i];
    if (line.is_section()) {
      const std::string name = line.section(), key = line.keyword();
      if (key == "replace" || key == "add" || key == "delete" || atoms_in_term(key) > 0) {
        if (!t) fail_at(path, line.number, "[ " + name + " ] before any terminus");
        section = key;
      } else {
        into.push_back(Terminus{});
        t = &into.back();
        t->name = name;
        t->file = path;
        t->line = line.number;
        section.clear();
      }
      continue;
    }
    if (!t) fail_at(path, line.number, "data before any terminus");
    if (section == "delete") {
      t->remove.push_back(line.tokens[0]);
    } else if (section == "replace") {
      // "atom type mass charge" or "atom new_name type mass charge"
      const std::size_t n = line.tokens.size();
      if (n != 4 && n != 5) fail_at(path, line.number, "a [ replace ] line has 4 or 5 fields");
      TerminusReplace r;
      r.atom = line.tokens[0];
      if (n == 5) r.new_name = line.tokens[1];
      r.type = line.tokens[n - 3];
      r.mass = number_at(path, line, n - 2, "mass");
      r.charge = number_at(path, line, n - 1, "charge");
      t->replace.push_back(r);
    } else if (section == "add") {
      // a hydrogen-rule line, then "type mass charge charge_group" for the new atoms
      if (i + 1 >= lines.size() || lines[i + 1].is_section())
        fail_at(path, line.number, "an [ add ] line must be followed by the new atoms' type, mass, charge and charge group");
      TerminusAdd a;
      a.rule = rule_of(path, line);
      const Line &props = lines[++i];
      if (props.tokens.size() < 3) fail_at(path, props.number, "expected the new atoms' type, mass and charge");
      a.type = props.tokens[0];
      a.mass = number_at(path, props, 1, "mass");
      a.charge = number_at(path, props, 2, "charge");
      if (props.tokens.size() > 3) a.charge_group = integer_at(path, props, 3, "charge group");
      t->add.push_back(a);
    } else if (const std::size_t n = atoms_in_term(section); n > 0) {
      auto &terms = section == "bonds" ? t->bonds : section == "angles" ? t->angles
                                                  : section == "dihedrals" ? t->dihedrals
                                                                           : t->impropers;
      terms.push_back(term_of(path, line, n));
    } else {
      fail_at(path, line.number, "data outside [ replace ], [ add ] or [ delete ]");
    }
  }
}

void ResidueDatabase::read_r2b(const std::string &path)
{
  for (const Line &line : read_lines(path)) {
    const auto &t = line.tokens;
    if (t.size() != 2 && t.size() != 5)
      fail_at(path, line.number, "a residue-name line has 2 columns (name block) or 5 (name middle start end alone)");
    auto block = [](const std::string &s) { return s == "-" ? std::string() : s; };
    residue_names_[t[0]] = t.size() == 2 ? ResidueNames{t[1], t[1], t[1], t[1]}
                                         : ResidueNames{block(t[1]), block(t[2]), block(t[3]), block(t[4])};
  }
}

void ResidueDatabase::read_arn(const std::string &path)
{
  for (const Line &line : read_lines(path)) {
    if (line.tokens.size() != 3) fail_at(path, line.number, "an atom-renaming line has 3 columns (residue atom new_name)");
    renamed_[{line.tokens[0], line.tokens[1]}] = line.tokens[2];
  }
}

const BuildingBlock *ResidueDatabase::block(const std::string &name) const
{
  const auto it = blocks_.find(name);
  return it == blocks_.end() ? nullptr : &it->second;
}

const std::vector<AddRule> &ResidueDatabase::hydrogens(const std::string &block) const
{
  static const std::vector<AddRule> none;
  const auto it = hydrogens_.find(block);
  return it == hydrogens_.end() ? none : it->second;
}

const Terminus *ResidueDatabase::n_terminus(const std::string &name) const
{
  for (const Terminus &t : n_termini_)
    if (t.name == name) return &t;
  return nullptr;
}

const Terminus *ResidueDatabase::c_terminus(const std::string &name) const
{
  for (const Terminus &t : c_termini_)
    if (t.name == name) return &t;
  return nullptr;
}

const ResidueNames *ResidueDatabase::residue_names(const std::string &residue) const
{
  const auto it = residue_names_.find(residue);
  return it == residue_names_.end() ? nullptr : &it->second;
}

std::string ResidueDatabase::atom_name(const std::string &block, const std::string &atom) const
{
  if (const auto it = renamed_.find({block, atom}); it != renamed_.end()) return it->second;
  if (const auto it = renamed_.find({"*", atom}); it != renamed_.end()) return it->second;
  return atom;
}

}    // namespace BACKMAP
