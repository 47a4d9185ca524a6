/* PDB and mmCIF through gemmi, converted to and from our Structure. */
#include "structure_io.h"

#include "gz_stream.h"

#define GEMMI_WRITE_IMPLEMENTATION
#include <gemmi/assembly.hpp>
#include <gemmi/mmread.hpp>
#include <gemmi/model.hpp>
#include <gemmi/modify.hpp>
#include <gemmi/pdb.hpp>
#include <gemmi/to_pdb.hpp>

#include <algorithm>
#include <tuple>
#include <map>
#include <set>
#include <cctype>
#include <cmath>
#include <sstream>

namespace BACKMAP {

namespace {

// Only a P 1 cell is a simulation box: a crystal's cell with symmetry operators is not a
// periodic image of the asymmetric unit, and a 1 x 1 x 1 cell (NMR, models) is no box at all.
Box box_from_cell(const gemmi::UnitCell &cell, const std::string &space_group)
{
  Box box;
  if (cell.a < 2.0 || cell.b < 2.0 || cell.c < 2.0) return box;
  std::string symbol;
  for (char ch : space_group)
    if (ch != ' ') symbol += ch;
  if (symbol != "P1") return box;
  box.periodic = true;
  const double deg = M_PI / 180.0;
  const double ca = std::cos(cell.alpha * deg), cb = std::cos(cell.beta * deg),
               cg = std::cos(cell.gamma * deg), sg = std::sin(cell.gamma * deg);
  box.vectors.row(0) = Vec3(cell.a, 0, 0);
  box.vectors.row(1) = Vec3(cell.b * cg, cell.b * sg, 0);
  const double cx = cell.c * cb;
  const double cy = cell.c * (ca - cb * cg) / sg;
  box.vectors.row(2) = Vec3(cx, cy, std::sqrt(std::max(0.0, cell.c * cell.c - cx * cx - cy * cy)));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (std::fabs(box.vectors(i, j)) < 1e-9) box.vectors(i, j) = 0.0;
  return box;
}

// The first alternate location of each atom; a residue that only repeats the one before it
// under another altloc (microheterogeneity) is dropped. gemmi's own clean-up would also drop
// distinct residues that share a number, as CHARMM segments and long water boxes do.
bool is_alternate_residue(const gemmi::Residue &res, const gemmi::Residue *previous)
{
  if (!previous || previous->seqid != res.seqid || previous->segment != res.segment) return false;
  return std::all_of(res.atoms.begin(), res.atoms.end(), [](const gemmi::Atom &a) { return a.altloc != '\0'; });
}

// Four-character residue names (POPC, CHL1) as CHARMM and GROMACS write them, in columns 18-21.
// gemmi reads three characters there and takes column 21 as the first of a two-character
// chain, so such a POPC of chain A would come back as POP of chain "CA". The fourth character
// is taken out before gemmi reads the text and put back by (model, chain, number, insertion).
using LongNameKey = std::tuple<int, std::string, int, char>;
using LongResidueNames = std::map<LongNameKey, std::string>;

// Whether column 21 of the ATOM records holds the fourth character of the residue names
// (CHARMM/GROMACS: "POPC" in 18-21, the chain in 22) rather than the first of a two-character
// chain name (gemmi's PDBs of large mmCIF entries: "ALA" in 18-20, "AB" in 21-22). A record with
// column 21 set and 22 blank can only be the former; otherwise a standard residue name in
// 18-20 of such a record says the latter.
bool column_21_is_residue_name(const std::string &text)
{
  static const std::set<std::string> standard = {"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                                 "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL",
                                                 "HOH", "SOL", "DA ", "DC ", "DG ", "DT "};
  bool long_name_seen = false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const bool atom = text.compare(start, 6, "ATOM  ") == 0 || text.compare(start, 6, "HETATM") == 0;
    if (atom && end - start > 26 && text[start + 20] != ' ' && text[start + 17] != ' ') {
      if (text[start + 21] == ' ') return true;
      if (standard.count(text.substr(start + 17, 3))) return false;
      long_name_seen = true;
    }
    start = end + 1;
  }
  return long_name_seen;
}

LongResidueNames take_long_residue_names(std::string &text)
{
  LongResidueNames names;
  if (!column_21_is_residue_name(text)) return names;
  int model = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, 5, "MODEL") == 0) ++model;
    const bool atom = text.compare(start, 6, "ATOM  ") == 0 || text.compare(start, 6, "HETATM") == 0;
    if (atom && end - start > 26 && text[start + 20] != ' ' && text[start + 17] != ' ') {
      try {
        const int number = std::stoi(text.substr(start + 22, 4));
        const char chain = text[start + 21];
        names[{std::max(model, 1), chain == ' ' ? std::string() : std::string(1, chain), number, text[start + 26]}] =
            text.substr(start + 17, 4);
        text[start + 20] = ' ';
      } catch (const std::exception &) {
        // a residue number that is not a plain integer: left to gemmi as it is
      }
    }
    start = end + 1;
  }
  return names;
}

Structure from_gemmi(const gemmi::Structure &st, const gemmi::Model &model, const LongResidueNames &long_names = {},
                     int model_number = 1)
{
  Structure out;
  out.title = st.name;
  out.box = box_from_cell(st.cell, st.spacegroup_hm);
  for (const gemmi::Chain &chain : model.chains) {
    const gemmi::Residue *previous = nullptr;
    for (const gemmi::Residue &res : chain.residues) {
      if (is_alternate_residue(res, previous)) continue;
      previous = &res;
      Residue r;
      r.name = res.name;
      if (!long_names.empty()) {
        const char icode = res.seqid.icode == '\0' ? ' ' : res.seqid.icode;
        const int number = res.seqid.num.has_value() ? res.seqid.num.value : 0;
        const auto it = long_names.find({model_number, chain.name == " " ? std::string() : chain.name, number, icode});
        if (it != long_names.end()) r.name = it->second;
      }
      // CHARMM files leave the chain blank and name segments instead
      r.chain = chain.name.empty() || chain.name == " " ? res.segment : chain.name;
      r.number = res.seqid.num.has_value() ? res.seqid.num.value : 0;
      r.insertion = res.seqid.icode;
      r.hetero = res.het_flag == 'H';
      char altloc = '\0';
      for (const gemmi::Atom &a : res.atoms) {
        if (a.altloc != '\0') {
          if (altloc == '\0') altloc = a.altloc;
          if (a.altloc != altloc || r.find_atom(a.name) >= 0) continue;
        }
        Atom atom;
        atom.name = a.name;
        atom.element = a.element == gemmi::El::X ? "" : a.element.uname();
        atom.position = Vec3(a.pos.x, a.pos.y, a.pos.z);
        atom.serial = a.serial;
        r.atoms.push_back(std::move(atom));
      }
      out.residues.push_back(std::move(r));
    }
  }
  return out;
}

gemmi::Model to_gemmi_model(const Structure &s, int number)
{
  gemmi::Model model(std::to_string(number));
  int serial = 0;
  for (const Residue &r : s.residues) {
    const std::string chain_name = r.chain.empty() ? "A" : r.chain;
    if (model.chains.empty() || model.chains.back().name != chain_name) model.chains.emplace_back(chain_name);
    gemmi::Residue res;
    res.name = r.name;
    res.seqid = gemmi::SeqId(r.number, r.insertion);
    res.het_flag = r.hetero ? 'H' : 'A';
    for (const Atom &a : r.atoms) {
      gemmi::Atom atom;
      atom.name = a.name;
      atom.element = gemmi::Element(a.element);
      atom.pos = gemmi::Position(a.position.x(), a.position.y(), a.position.z());
      atom.serial = ++serial;
      atom.occ = 1.0f;
      atom.b_iso = 0.0f;
      res.atoms.push_back(atom);
    }
    model.chains.back().residues.push_back(std::move(res));
  }
  return model;
}

bool is_charge_field(char digit, char sign)
{
  auto blank = [](char c) { return c == ' ' || c == '\0'; };
  if (blank(digit) && blank(sign)) return true;
  auto is_sign = [](char c) { return c == '+' || c == '-'; };
  return (std::isdigit(static_cast<unsigned char>(digit)) && (is_sign(sign) || blank(sign))) ||
      (is_sign(digit) && std::isdigit(static_cast<unsigned char>(sign)));
}

// Calls edit(line_start, line_length) for every ATOM/HETATM record of a PDB text.
template <class Edit> void for_each_atom_record(std::string &text, Edit edit)
{
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, 6, "ATOM  ") == 0 || text.compare(start, 6, "HETATM") == 0) edit(start, end - start);
    start = end + 1;
  }
}

// Some files (BM5's HADDOCK-ready ones among them) keep segment or serial numbers in
// columns 79-80, where PDB puts the formal charge; gemmi rightly refuses those, so they are
// blanked. Charges play no part in mapping.
void blank_bad_charge_columns(std::string &text)
{
  for_each_atom_record(text, [&](std::size_t start, std::size_t length) {
    if (length < 79) return;
    const char digit = text[start + 78];
    const char sign = length >= 80 ? text[start + 79] : ' ';
    if (is_charge_field(digit, sign)) return;
    text[start + 78] = ' ';
    if (length >= 80) text[start + 79] = ' ';
  });
}

// gemmi writes a four-character residue name (POPC, CHL1) one column too wide, which moves the
// chain and number one column right; read back, POPC residue 1 would become POP of chain C.
// Such records are put back in the CHARMM/GROMACS layout: the name in columns 18-21, the chain
// in 22, everything after in its PDB column.
void keep_long_residue_names_in_their_columns(std::string &text)
{
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    const bool atom = line.compare(0, 6, "ATOM  ") == 0 || line.compare(0, 6, "HETATM") == 0;
    if (atom && line.size() > 23 && line[17] != ' ' && line[18] != ' ' && line[19] != ' ' && line[20] != ' ' &&
        line[21] == ' ' && line[22] != ' ')
      line.erase(21, 1);
    out += line;
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  text = std::move(out);
}

// AutoDock's PDBQT keeps partial charges and atom types from column 71 on, where PDB has
// the segment and element; left there they would split every atom into its own residue.
void blank_pdbqt_columns(std::string &text)
{
  for_each_atom_record(text, [&](std::size_t start, std::size_t length) {
    for (std::size_t i = 70; i < length; ++i) text[start + i] = ' ';
  });
}

}    // namespace

// A multi-model PDB whose last MODEL has no ENDMDL was cut short (a writer that crashed or
// met a full disk): that frame is refused by number rather than read with atoms missing.
void refuse_unfinished_model(const std::string &text, const std::string &path)
{
  long models = 0, ended = 0, line = 0, last_model_line = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    ++line;
    if (text.compare(at, 5, "MODEL") == 0) ++models, last_model_line = line;
    else if (text.compare(at, 6, "ENDMDL") == 0) ++ended;
    const std::size_t next = text.find('\n', at);
    if (next == std::string::npos) break;
    at = next + 1;
  }
  if (models > ended)
    fail_at(path, last_model_line, "frame " + std::to_string(models) +
                " (MODEL record here) has no ENDMDL: the file was cut short; the frames before it are whole");
}

std::vector<Structure> read_pdb_or_mmcif(const std::string &path, FileFormat format)
{
  gemmi::Structure st;
  LongResidueNames long_names;
  try {
    std::string text = read_maybe_gzipped(path);
    if (format == FileFormat::Pdb || format == FileFormat::Pdbqt) {
      long_names = take_long_residue_names(text);
      if (format == FileFormat::Pdbqt) blank_pdbqt_columns(text);
      blank_bad_charge_columns(text);
      refuse_unfinished_model(text, path);
      st = gemmi::read_pdb_string(text, path);
    } else {
      st = gemmi::make_structure_from_doc(gemmi::cif::read_memory(text.data(), text.size(), path.c_str()), true);
    }
  } catch (const FileError &) {
    throw;
  } catch (const std::exception &e) {
    throw FileError(path + ": " + e.what());
  }
  std::vector<Structure> models;
  for (const gemmi::Model &model : st.models) {
    models.push_back(from_gemmi(st, model, long_names, static_cast<int>(models.size()) + 1));
    for (const Residue &r : models.back().residues)
      for (const Atom &a : r.atoms)
        if (!a.position.allFinite())
          throw FileError(path + ": atom " + a.name + " of residue " + r.label() + " has non-finite coordinates");
  }
  if (models.empty() || models.front().residues.empty()) throw FileError(path + ": contains no atoms");
  return models;
}

void write_pdb(const std::vector<Structure> &models, const std::string &path)
{
  for (std::size_t i = 0; i < models.size(); ++i) check_coordinates(models[i], path, true, static_cast<int>(i) + 1);
  gemmi::Structure st;
  if (!models.empty()) {
    st.name = models.front().title;
    const Box &box = models.front().box;
    if (box.periodic) {
      const Vec3 len = box.lengths();
      auto angle = [&](int i, int j) {
        return std::acos(box.vectors.row(i).dot(box.vectors.row(j)) / (len[i] * len[j])) * 180.0 / M_PI;
      };
      st.cell.set(len[0], len[1], len[2], angle(1, 2), angle(0, 2), angle(0, 1));
      st.spacegroup_hm = "P 1";
    }
  }
  for (std::size_t i = 0; i < models.size(); ++i) st.models.push_back(to_gemmi_model(models[i], static_cast<int>(i) + 1));
  // PDB has room for two characters of chain name (mmCIF and segment names can be longer)
  for (const gemmi::Model &model : st.models)
    for (const gemmi::Chain &chain : model.chains)
      if (chain.name.size() > 2) {
        gemmi::shorten_chain_names(st);
        break;
      }
  gemmi::PdbWriteOptions options;
  options.seqres_records = false;
  options.ssbond_records = false;
  options.link_records = false;
  options.cispep_records = false;
  std::ostringstream text;
  gemmi::write_pdb(st, text, options);
  std::string pdb = text.str();
  keep_long_residue_names_in_their_columns(pdb);
  write_atomically(path, [&](std::ostream &os) { os << pdb; });
}

}    // namespace BACKMAP
