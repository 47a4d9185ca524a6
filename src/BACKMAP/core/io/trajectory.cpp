#include "trajectory.h"

#include "gz_stream.h"
#include "lammps_data.h"
#include "file_formats.h"
#include "structure_io.h"

#include <Eigen/Dense>

#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <map>
#include <sstream>

namespace BACKMAP {

std::vector<Structure> read_cg_frames(const std::string &path, const std::string &topology)
{
  const FileFormat format = identify_input(path, FormatUse::ReadFrames);
  if (format_info(format).streams)
    fail_at(path, 0, format_info(format).description + " frames are streamed (open_frame_source), not read whole");
  if (format != FileFormat::LammpsDump) return read_models(path);
  if (topology.empty())
    throw FileError(path + ": a LAMMPS dump names no residues or beads; give --topology DATA_FILE (from backmap map)");
  return read_lammps_dump(path, read_structure(topology));
}

std::vector<Structure> read_lammps_dump(const std::string &path, const Structure &topology)
{
  std::istringstream in(read_maybe_gzipped(path));
  std::map<int, std::pair<int, int>> where;    // atom id -> (residue, bead) in the topology
  for (std::size_t r = 0; r < topology.residues.size(); ++r)
    for (std::size_t a = 0; a < topology.residues[r].atoms.size(); ++a)
      where[topology.residues[r].atoms[a].serial] = {static_cast<int>(r), static_cast<int>(a)};
  std::vector<Structure> frames;
  std::string text;
  int line = 0;
  auto next = [&](const char *expect) {
    if (!std::getline(in, text)) fail_at(path, line + 1, std::string("truncated: expected ") + expect);
    ++line;
  };
  // a whole field as a number, or an error naming what it should be and what it holds
  auto number = [&](const std::string &field, const std::string &what) {
    char *end = nullptr;
    const double v = std::strtod(field.c_str(), &end);
    if (field.empty() || end != field.c_str() + field.size())
      fail_at(path, line, what + " holds '" + field + "', not a number");
    return v;
  };
  auto first_field = [](const std::string &t) {
    std::istringstream is(t);
    std::string f;
    is >> f;
    return f;
  };
  auto fields_of = [](const std::string &t) {
    std::istringstream is(t);
    std::vector<std::string> out;
    std::string f;
    while (is >> f) out.push_back(f);
    return out;
  };
  while (std::getline(in, text)) {
    ++line;
    if (text.rfind("ITEM: TIMESTEP", 0) != 0) {
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      fail_at(path, line, "expected 'ITEM: TIMESTEP'");
    }
    const std::string frame_name = "frame " + std::to_string(frames.size() + 1);
    next("the timestep");
    const std::string step = first_field(text);
    number(step, frame_name + ": the timestep");
    next("ITEM: NUMBER OF ATOMS");
    if (text.rfind("ITEM: NUMBER OF ATOMS", 0) != 0) fail_at(path, line, "expected 'ITEM: NUMBER OF ATOMS'");
    next("the number of atoms");
    const double count = number(first_field(text), "the number of atoms");
    if (count < 0 || count != std::floor(count)) fail_at(path, line, "the number of atoms must be a whole number");
    const long n = static_cast<long>(count);
    next("ITEM: BOX BOUNDS");
    if (text.rfind("ITEM: BOX BOUNDS", 0) != 0) fail_at(path, line, "expected 'ITEM: BOX BOUNDS'");
    const bool triclinic = text.find("xy") != std::string::npos;
    double lo[3], hi[3], tilt[3] = {0, 0, 0};
    for (int k = 0; k < 3; ++k) {
      next("a box line");
      const auto f = fields_of(text);
      if (f.size() < (triclinic ? 3u : 2u)) fail_at(path, line, "a box line needs " + std::string(triclinic ? "3" : "2") + " numbers");
      lo[k] = number(f[0], "the box line");
      hi[k] = number(f[1], "the box line");
      if (triclinic) tilt[k] = number(f[2], "the box line");
    }
    if (triclinic) {
      // bounds in the dump enclose the tilted box; recover the box itself
      lo[0] -= std::min({0.0, tilt[0], tilt[1], tilt[0] + tilt[1]});
      hi[0] -= std::max({0.0, tilt[0], tilt[1], tilt[0] + tilt[1]});
      lo[1] -= std::min(0.0, tilt[2]);
      hi[1] -= std::max(0.0, tilt[2]);
    }
    next("ITEM: ATOMS");
    if (text.rfind("ITEM: ATOMS", 0) != 0) fail_at(path, line, "expected 'ITEM: ATOMS'");
    std::istringstream header(text.substr(11));
    std::vector<std::string> columns;
    std::string c;
    while (header >> c) columns.push_back(c);
    auto column = [&](std::initializer_list<const char *> names) {
      for (const char *name : names)
        for (std::size_t i = 0; i < columns.size(); ++i)
          if (columns[i] == name) return static_cast<int>(i);
      return -1;
    };
    const int id = column({"id"});
    const int x = column({"xu", "x"}), y = column({"yu", "y"}), z = column({"zu", "z"});
    if (id < 0 || x < 0 || y < 0 || z < 0) fail_at(path, line, "the dump must have columns id and x y z (or xu yu zu)");
    const bool unwrapped = columns[x] == "xu";
    const int ix = column({"ix"}), iy = column({"iy"}), iz = column({"iz"});
    Structure frame = topology;
    frame.title = "timestep " + step;
    Eigen::Matrix3d h;
    h << hi[0] - lo[0], tilt[0], tilt[1], 0, hi[1] - lo[1], tilt[2], 0, 0, hi[2] - lo[2];
    frame.box.periodic = true;
    frame.box.vectors = h.transpose();
    std::map<long, int> seen;    // atom id -> line
    long found = 0;
    // only the columns read are parsed: others (element names, say) may hold anything
    std::vector<int> wanted = {id, x, y, z};
    if (ix >= 0 && iy >= 0 && iz >= 0) wanted.insert(wanted.end(), {ix, iy, iz});
    std::vector<double> v(columns.size(), 0.0);
    for (long i = 0; i < n; ++i) {
      next(("atom line " + std::to_string(i + 1) + " of " + std::to_string(n) + " of " + frame_name).c_str());
      const auto f = fields_of(text);
      if (f.size() < columns.size())
        fail_at(path, line, "atom line has " + std::to_string(f.size()) + " fields, the ITEM: ATOMS line names " +
                             std::to_string(columns.size()));
      for (int c : wanted) v[c] = number(f[c], "column '" + columns[c] + "'");
      const long atom_id = static_cast<long>(v[id]);
      auto it = where.find(static_cast<int>(atom_id));
      if (it == where.end()) fail_at(path, line, "atom id " + std::to_string(atom_id) + " is not in the topology");
      const auto [previous, fresh] = seen.emplace(atom_id, line);
      if (!fresh)
        fail_at(path, line, "atom id " + std::to_string(atom_id) + " appears twice in " + frame_name + " (first on line " +
                             std::to_string(previous->second) + ")");
      Vec3 pos(v[x], v[y], v[z]);
      if (!pos.allFinite()) fail_at(path, line, "non-finite coordinates for atom id " + std::to_string(atom_id));
      if (!unwrapped && ix >= 0) pos += h * Vec3(v[ix], v[iy], v[iz]);
      frame.residues[it->second.first].atoms[it->second.second].position = pos;
      ++found;
    }
    if (found != static_cast<long>(where.size()))
      fail_at(path, line, frame_name + " (timestep " + step + ") has " + std::to_string(found) + " atoms, the topology " +
                           std::to_string(where.size()));
    if (!unwrapped && ix < 0)
      for (auto &r : frame.residues)
        for (std::size_t k = 1; k < r.atoms.size(); ++k)
          r.atoms[k].position = r.atoms[0].position + frame.box.minimum_image(r.atoms[k].position - r.atoms[0].position);
    frames.push_back(std::move(frame));
  }
  if (frames.empty()) throw FileError(path + ": no frame in this dump");
  return frames;
}

void write_lammps_dump(const std::vector<Structure> &frames, const std::string &path, long step_interval)
{
  if (frames.empty()) throw FileError(path + ": no frame to write");
  const std::vector<std::string> types = bead_type_names(frames.front());
  std::map<std::string, int> type_index;
  for (std::size_t i = 0; i < types.size(); ++i) type_index[types[i]] = static_cast<int>(i) + 1;
  write_atomically(path, [&](std::ostream &os) {
    char buf[256];
    for (std::size_t f = 0; f < frames.size(); ++f) {
      const Structure &s = frames[f];
      if (s.atom_count() != frames.front().atom_count())
        throw FileError(path + ": frame " + std::to_string(f + 1) + " has another number of beads than frame 1");
      Vec3 lo = Vec3::Constant(1e300), hi = Vec3::Constant(-1e300);
      for (const auto &r : s.residues)
        for (const auto &a : r.atoms) {
          lo = lo.cwiseMin(a.position);
          hi = hi.cwiseMax(a.position);
        }
      if (s.box.periodic && s.box.is_orthorhombic()) {
        lo = Vec3::Zero();
        hi = s.box.vectors.diagonal();
      } else {
        lo -= Vec3::Constant(10.0);
        hi += Vec3::Constant(10.0);
      }
      os << "ITEM: TIMESTEP\n" << static_cast<long>(f) * step_interval << "\nITEM: NUMBER OF ATOMS\n"
         << s.atom_count() << "\nITEM: BOX BOUNDS pp pp pp\n";
      for (int k = 0; k < 3; ++k) {
        std::snprintf(buf, sizeof buf, "%.6f %.6f\n", lo[k], hi[k]);
        os << buf;
      }
      os << "ITEM: ATOMS id mol type xu yu zu\n";
      int id = 0, molecule = 0, last = -2;
      std::string last_chain = "\x01";
      for (const auto &r : s.residues) {
        if (r.molecule >= 0 ? r.molecule != last : r.chain != last_chain) ++molecule;
        last = r.molecule;
        last_chain = r.chain;
        for (const auto &a : r.atoms) {
          std::snprintf(buf, sizeof buf, "%d %d %d %.6f %.6f %.6f\n", ++id, molecule, type_index[r.name + ":" + a.name],
                        a.position.x(), a.position.y(), a.position.z());
          os << buf;
        }
      }
    }
  });
}

}    // namespace BACKMAP
