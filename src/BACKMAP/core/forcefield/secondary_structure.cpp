/* BACKMAP core, forcefield layer: DSSP and Martini's secondary structure (see secondary_structure.h). */
#include "secondary_structure.h"

#include "structure_io.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

// DSSP letter -> Martini letter before the helix ends are marked (vermouth's SS_CG).
char martini_letter(char dssp)
{
  switch (dssp) {
    case '1': case '2': case '3': case 'H': case 'G': case 'I': return 'H';
    case 'B': case 'E': return 'E';
    case 'T': case 'S': case 'C': return dssp;
    default: return 0;
  }
}

// Python's str.replace: every non-overlapping occurrence, left to right.
void replace_all(std::string &text, const std::string &from, const std::string &to)
{
  std::string out;
  std::size_t start = 0;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, start)) {
    out += text.substr(start, at - start) + to;
    start = at + from.size();
  }
  text = out + text.substr(start);
}

std::string quoted(const std::string &s) { return "'" + s + "'"; }

}    // namespace

bool is_dssp_letter(char letter) { return martini_letter(letter) != 0; }

std::string dssp_to_martini(const std::string &dssp)
{
  std::string cg;
  for (std::size_t i = 0; i < dssp.size(); ++i) {
    const char c = martini_letter(dssp[i]);
    if (!c)
      throw std::invalid_argument("secondary structure letter '" + std::string(1, dssp[i]) + "' at position " +
                                  std::to_string(i + 1) + " is not a DSSP letter (H B E G I T S C, or 1 2 3)");
    cg += c;
  }
  // helices by length: the first residues donate hydrogen bonds (1), the last accept them (2),
  // short ones are both (3); the replacements run in this order, each until none is left
  static const std::vector<std::pair<std::string, std::string>> patterns = {
      {".H.", ".3."},           {".HH.", ".33."},           {".HHH.", ".333."},   {".HHHH.", ".3333."},
      {".HHHHH.", ".13332."},   {".HHHHHH.", ".113322."},   {".HHHHHHH.", ".1113222."},
      {".HHHH", ".1111"},       {"HHHH.", "2222."}};
  std::string wildcard = ".";
  for (char c : cg) wildcard += c == 'H' ? 'H' : '.';
  wildcard += '.';
  for (const auto &[pattern, replacement] : patterns)
    while (wildcard.find(pattern) != std::string::npos) replace_all(wildcard, pattern, replacement);
  wildcard = wildcard.substr(1, wildcard.size() - 2);
  for (std::size_t i = 0; i < cg.size(); ++i)
    if (wildcard[i] != '.') cg[i] = wildcard[i];
  return cg;
}

std::string find_dssp()
{
  const char *path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t colon = dirs.find(':', start);
    const std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    for (const char *name : {"mkdssp", "dssp"}) {
      const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
      std::error_code ec;
      if (fs::exists(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return "";
}

std::string run_dssp(const Structure &protein, const std::string &executable)
{
  static std::atomic<int> serial{0};
  const fs::path dir = fs::temp_directory_path() /
                       ("backmap_dssp_" + std::to_string(::getpid()) + "_" + std::to_string(serial++));
  fs::create_directories(dir);
  const std::string input = (dir / "protein.pdb").string(), output = (dir / "protein.dssp").string(),
                    log = (dir / "dssp.log").string();
  Structure copy = protein;
  // DSSP needs a cell record it can read; any will do
  if (!copy.box.periodic) copy.box = Box::orthorhombic(100, 100, 100);
  write_structure(copy, input);
  {
    // mkdssp 4 reads a file as PDB only when it starts with a HEADER record
    std::ifstream in(input);
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(input) << "HEADER    PROTEIN                                 01-JAN-00   XXXX              \n" << body;
  }
  // mkdssp 4 takes "in out --output-format dssp"; DSSP 2 and 3 take "-i in -o out"
  const std::string modern = quoted(executable) + " --output-format dssp " + quoted(input) + " " + quoted(output) +
                             " > " + quoted(log) + " 2>&1";
  const std::string classic = quoted(executable) + " -i " + quoted(input) + " -o " + quoted(output) + " >> " + quoted(log) + " 2>&1";
  if (std::system(modern.c_str()) != 0 && std::system(classic.c_str()) != 0) {
    std::ifstream in(log);
    std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throw std::runtime_error(executable + " failed on " + input + " (kept): " + message +
                             "; give the secondary structure with --ss instead");
  }
  std::ifstream in(output);
  std::string line, letters;
  bool table = false;
  while (std::getline(in, line)) {
    if (!table) {
      table = line.rfind("  #  RESIDUE", 0) == 0;
      continue;
    }
    if (line.size() < 17 || line[13] == '!') continue;    // chain breaks
    char c = line[16];
    if (c == ' ' || c == 'P') c = 'C';
    if (!is_dssp_letter(c)) throw std::runtime_error(output + ": unknown DSSP letter '" + std::string(1, c) + "'");
    letters += c;
  }
  std::size_t residues = protein.residues.size();
  if (!table) throw std::runtime_error(output + ": no DSSP residue table (is " + executable + " a DSSP program?)");
  if (letters.size() != residues)
    throw std::runtime_error(executable + " assigned " + std::to_string(letters.size()) + " residues of the " +
                             std::to_string(residues) + " in " + input +
                             " (kept; residues without N, CA, C, O are skipped by DSSP); give --ss instead");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return letters;
}

}    // namespace BACKMAP
