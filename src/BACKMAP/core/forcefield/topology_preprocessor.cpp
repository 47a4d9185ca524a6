#include "topology_preprocessor.h"

#include "file_error.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace BACKMAP {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string trim(const std::string &s)
{
  const auto begin = s.find_first_not_of(" \t\r\n\f\v");
  if (begin == std::string::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(begin, end - begin + 1);
}

std::string strip_comment(const std::string &s) { return s.substr(0, s.find(';')); }

std::vector<std::string> split_tokens(const std::string &s)
{
  std::istringstream in(s);
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  return tokens;
}

std::string lower(std::string s)
{
  for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The first word of a directive's text and the rest (trimmed): "define gb_1 0.1 2" ->
// ("define", "gb_1 0.1 2").
std::pair<std::string, std::string> split_first_word(const std::string &text)
{
  const std::string t = trim(text);
  const auto end = t.find_first_of(" \t");
  if (end == std::string::npos) return {t, {}};
  return {t.substr(0, end), trim(t.substr(end))};
}

bool is_readable_file(const fs::path &p)
{
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// One #ifdef/#ifndef block open in a file.
struct Condition {
  bool enclosing_active = true;    // whether the lines around the block are read
  bool taken = true;               // whether the current branch (#ifdef or #else part) is read
  bool in_else = false;
  int line = 0;                    // of the #ifdef, for the error when it is never closed
};

// What is known about the file being read: conditions are per file, as in grompp, so an
// included file cannot close its includer's #ifdef.
struct FileState {
  std::string path;
  fs::path folder;
  int line = 0;
  std::vector<Condition> conditions;
  bool continuing = false;          // the previous data line ended with '\'
  TopologyLine pending;             // the logical line being joined

  bool active() const
  {
    return conditions.empty() || (conditions.back().enclosing_active && conditions.back().taken);
  }
};

class Reader {
 public:
  explicit Reader(const PreprocessorOptions &options) : options_(options), defines_(options.defines) {}

  void read_file(const fs::path &path, const std::string &included_from, int included_at);
  std::vector<TopologyLine> take_lines() { return std::move(lines_); }

 private:
  void read_line(FileState &file, const std::string &raw);
  void read_directive(FileState &file, const std::string &text);
  void read_condition(FileState &file, const std::string &name, const std::string &value);
  void read_include(FileState &file, const std::string &value);
  void read_data(FileState &file, const std::string &raw);
  void read_header(FileState &file, const std::string &text);
  void flush(FileState &file);
  std::string substitute(const FileState &file, const std::string &text) const;
  fs::path find_include(const FileState &file, const std::string &name) const;

  const PreprocessorOptions &options_;
  std::map<std::string, std::string> defines_;
  std::vector<std::string> open_files_;    // canonical paths being read, to catch include loops
  std::string section_;
  std::vector<TopologyLine> lines_;
};

void Reader::read_file(const fs::path &path, const std::string &included_from, int included_at)
{
  std::ifstream in(path);
  if (!in) fail_at(included_from.empty() ? path.string() : included_from, included_at, "cannot open " + path.string());
  std::error_code ec;
  open_files_.push_back(fs::weakly_canonical(path, ec).string());
  FileState file;
  file.path = path.lexically_normal().string();
  file.folder = path.parent_path();
  for (std::string raw; std::getline(in, raw);) {
    ++file.line;
    read_line(file, raw);
  }
  flush(file);
  if (!file.conditions.empty()) fail_at(file.path, file.conditions.back().line, "#ifdef/#ifndef without #endif");
  open_files_.pop_back();
}

void Reader::read_line(FileState &file, const std::string &raw)
{
  const std::string text = trim(raw);
  if (!text.empty() && text[0] == '#')
    read_directive(file, text.substr(1));
  else if (file.active())
    read_data(file, raw);
}

void Reader::read_directive(FileState &file, const std::string &text)
{
  const auto [name, rest] = split_first_word(text);
  const std::string value = trim(strip_comment(rest));
  if (name == "ifdef" || name == "ifndef" || name == "else" || name == "endif") {
    read_condition(file, name, value);
    return;
  }
  // like grompp: inside a branch not taken, any other directive (even an unknown one) is skipped
  if (!file.active()) return;
  if (name == "include") {
    read_include(file, value);
  } else if (name == "define") {
    const auto [defined, definition] = split_first_word(value);
    if (defined.empty()) fail_at(file.path, file.line, "#define without a name");
    defines_[defined] = definition;
  } else if (name == "undef") {
    if (value.empty()) fail_at(file.path, file.line, "#undef without a name");
    defines_.erase(split_first_word(value).first);
  } else if (name == "error") {
    fail_at(file.path, file.line, "#error " + value);
  } else {
    fail_at(file.path, file.line, "unknown directive #" + name);
  }
}

void Reader::read_condition(FileState &file, const std::string &name, const std::string &value)
{
  if (name == "ifdef" || name == "ifndef") {
    const std::string defined = split_first_word(value).first;
    if (defined.empty()) fail_at(file.path, file.line, "#" + name + " without a name");
    Condition c;
    c.enclosing_active = file.active();
    c.taken = (defines_.count(defined) > 0) == (name == "ifdef");
    c.line = file.line;
    file.conditions.push_back(c);
  } else if (file.conditions.empty()) {
    fail_at(file.path, file.line, "#" + name + " without #ifdef or #ifndef");
  } else if (name == "else") {
    Condition &c = file.conditions.back();
    if (c.in_else) fail_at(file.path, file.line, "second #else for the #ifdef at line " + std::to_string(c.line));
    c.in_else = true;
    c.taken = !c.taken;
  } else {
    file.conditions.pop_back();
  }
}

void Reader::read_include(FileState &file, const std::string &value)
{
  const char open = value.empty() ? '\0' : value[0];
  const char close = open == '<' ? '>' : '"';
  const auto end = value.find(close, 1);
  if ((open != '"' && open != '<') || end == std::string::npos || end == 1)
    fail_at(file.path, file.line, "#include needs \"file\" or <file>, not: " + value);
  const std::string name = value.substr(1, end - 1);
  const fs::path found = find_include(file, name);
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(found, ec).string();
  if (std::find(open_files_.begin(), open_files_.end(), canonical) != open_files_.end())
    fail_at(file.path, file.line, "#include \"" + name + "\" makes a loop: " + found.string() + " is already being read");
  flush(file);    // a continued line does not run on into another file
  read_file(found, file.path, file.line);
}

fs::path Reader::find_include(const FileState &file, const std::string &name) const
{
  const fs::path wanted(name);
  if (wanted.is_absolute()) {
    if (is_readable_file(wanted)) return wanted;
    fail_at(file.path, file.line, "cannot find include file \"" + name + "\"");
  }
  std::string looked = file.folder.empty() ? std::string(".") : file.folder.string();
  if (is_readable_file(file.folder / wanted)) return file.folder / wanted;
  for (const std::string &folder : options_.include_folders) {
    if (is_readable_file(fs::path(folder) / wanted)) return fs::path(folder) / wanted;
    looked += ", " + folder;
  }
  fail_at(file.path, file.line, "cannot find include file \"" + name + "\" (looked in " + looked + ")");
}

void Reader::read_data(FileState &file, const std::string &raw)
{
  std::string text = trim(substitute(file, strip_comment(raw)));
  const bool continues = !text.empty() && text.back() == '\\';
  if (continues) text.pop_back();
  if (!file.continuing && !text.empty() && text[0] == '[') {
    read_header(file, text);
    return;
  }
  if (!file.continuing) {
    file.pending = TopologyLine();
    file.pending.path = file.path;
    file.pending.line = file.line;
    file.pending.section = section_;
  }
  for (std::string &t : split_tokens(text)) file.pending.tokens.push_back(std::move(t));
  file.continuing = continues;
  if (!continues) flush(file);
}

void Reader::read_header(FileState &file, const std::string &text)
{
  const auto close = text.find(']');
  if (close == std::string::npos) fail_at(file.path, file.line, "section header without ']': " + text);
  if (!trim(text.substr(close + 1)).empty()) fail_at(file.path, file.line, "text after the section header: " + text);
  const std::string name = lower(trim(text.substr(1, close - 1)));
  if (name.empty() || name.find_first_of(" \t") != std::string::npos)
    fail_at(file.path, file.line, "bad section header: " + text);
  section_ = name;
  TopologyLine header;
  header.path = file.path;
  header.line = file.line;
  header.section = name;
  header.header = true;
  lines_.push_back(std::move(header));
}

// Emits the logical line being joined, if it has anything in it.
void Reader::flush(FileState &file)
{
  if (!file.pending.tokens.empty()) lines_.push_back(std::move(file.pending));
  file.pending = TopologyLine();
  file.continuing = false;
}

// Replaces every whole word that names a define with a value; the values are searched again,
// so a define may use another, but a definition that reaches itself is an error.
std::string Reader::substitute(const FileState &file, const std::string &text) const
{
  std::string current = text;
  for (int pass = 0; pass < 32; ++pass) {
    std::string out;
    bool changed = false;
    for (std::size_t i = 0; i < current.size();) {
      if (!is_word_char(current[i])) {
        out += current[i++];
        continue;
      }
      std::size_t j = i;
      while (j < current.size() && is_word_char(current[j])) ++j;
      const std::string word = current.substr(i, j - i);
      const auto it = defines_.find(word);
      if (it != defines_.end() && !it->second.empty()) {
        out += it->second;
        changed = true;
      } else {
        out += word;
      }
      i = j;
    }
    if (!changed) return out;
    current = out;
  }
  fail_at(file.path, file.line, "#define'd names here expand into each other without end");
}

}    // namespace

std::vector<std::string> default_include_folders()
{
  std::vector<std::string> candidates;
  if (const char *gmxlib = std::getenv("GMXLIB")) {
    std::istringstream in(gmxlib);
    for (std::string folder; std::getline(in, folder, ':');)
      if (!folder.empty()) candidates.push_back(folder);
  }
  if (const char *gmxdata = std::getenv("GMXDATA")) candidates.push_back(std::string(gmxdata) + "/top");
  candidates.emplace_back("/usr/share/gromacs/top");
  candidates.emplace_back("/usr/local/gromacs/share/gromacs/top");
  std::vector<std::string> folders;
  for (const std::string &c : candidates) {
    std::error_code ec;
    if (fs::is_directory(c, ec) && std::find(folders.begin(), folders.end(), c) == folders.end())
      folders.push_back(c);
  }
  return folders;
}

void add_define_option(PreprocessorOptions &options, const std::string &option)
{
  const std::string text = option.rfind("-D", 0) == 0 ? option.substr(2) : option;
  const auto equals = text.find('=');
  if (equals == std::string::npos)
    options.defines[text] = "";
  else
    options.defines[text.substr(0, equals)] = text.substr(equals + 1);
}

std::vector<TopologyLine> preprocess_topology(const std::string &path, const PreprocessorOptions &options)
{
  if (!is_readable_file(path)) fail_at(path, 0, "no such topology file");
  Reader reader(options);
  reader.read_file(path, {}, 0);
  return reader.take_lines();
}

}    // namespace BACKMAP
