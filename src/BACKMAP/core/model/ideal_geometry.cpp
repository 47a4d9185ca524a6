#include "ideal_geometry.h"

#include "peptide_link.h"

#include "residue_matching.h"
#include "structure_io.h"

#include <Eigen/Geometry>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace BACKMAP {

namespace {

double signed_volume(const Vec3 &centre, const Vec3 &a, const Vec3 &b, const Vec3 &c)
{
  return (a - centre).dot((b - centre).cross(c - centre));
}

// Median and 1.4826 x median absolute deviation: one badly refined deposit cannot move them.
std::pair<double, double> robust_centre(std::vector<double> v)
{
  if (v.empty()) return {0, 0};
  auto median = [](std::vector<double> &x) {
    const std::size_t mid = x.size() / 2;
    std::nth_element(x.begin(), x.begin() + mid, x.end());
    return x[mid];
  };
  const double m = median(v);
  for (double &x : v) x = std::fabs(x - m);
  return {m, 1.4826 * median(v)};
}

struct Collected {
  std::vector<std::vector<double>> distances, volumes;
};

struct PeptideSamples {
  std::vector<double> c_n, ca_n, o_n, c_ca, c_volume;
};

// Positions of a residue's atoms by mapping atom index; NaN where absent.
std::vector<Vec3> mapped_positions(const Residue &r, const ResidueMatch &match)
{
  std::vector<Vec3> x(match.mapping->atoms.size(), Vec3::Constant(std::nan("")));
  for (std::size_t k = 0; k < x.size(); ++k)
    if (match.input_of[k] >= 0) x[k] = r.atoms[match.input_of[k]].position;
  return x;
}

struct PeptideAtoms {
  int n = -1, ca = -1, c = -1, o = -1;
  explicit PeptideAtoms(const MoleculeMapping &m)
      : n(m.find_atom("N")), ca(m.find_atom("CA")), c(m.find_atom("C")), o(m.find_atom("O"))
  {
  }
};

void collect_peptide(const std::vector<Vec3> &prev, const MoleculeMapping &mp, const std::vector<Vec3> &next,
                     const MoleculeMapping &mn, PeptideSamples &s)
{
  // a cap has no CA (ACE's methyl is CH3, NME's too): the terms that need it are measured on
  // the links that have one
  const PeptideAtoms p(mp), n(mn);
  if (p.c < 0 || n.n < 0) return;
  auto at = [](const std::vector<Vec3> &x, int k) { return k < 0 ? Vec3(Vec3::Constant(std::nan(""))) : x[k]; };
  const Vec3 c = prev[p.c], ca = at(prev, p.ca), o = at(prev, p.o), nn = next[n.n], nca = at(next, n.ca);
  if (!(c.allFinite() && nn.allFinite())) return;
  const double cn = (c - nn).norm();
  if (cn >= max_peptide_bond) return;    // a chain break, not a peptide bond
  s.c_n.push_back(cn);
  if (ca.allFinite()) s.ca_n.push_back((ca - nn).norm());
  if (o.allFinite()) s.o_n.push_back((o - nn).norm());
  if (nca.allFinite()) s.c_ca.push_back((c - nca).norm());
  if (ca.allFinite() && o.allFinite()) s.c_volume.push_back(signed_volume(c, ca, o, nn));
}

}    // namespace

MoleculeGeometry geometry_template(const MoleculeMapping &m)
{
  const std::size_t n = m.atoms.size();
  std::vector<std::vector<int>> neighbours(n);
  std::set<std::pair<int, int>> pairs;
  MoleculeGeometry g;
  for (const auto &[a, b] : m.bonds) {
    if (m.atoms[a].is_hydrogen() || m.atoms[b].is_hydrogen()) continue;
    neighbours[a].push_back(b);
    neighbours[b].push_back(a);
    if (pairs.insert({std::min(a, b), std::max(a, b)}).second) g.distances.push_back({std::min(a, b), std::max(a, b)});
  }
  for (std::size_t v = 0; v < n; ++v) {
    auto &list = neighbours[v];
    std::sort(list.begin(), list.end());
    for (std::size_t x = 0; x < list.size(); ++x)
      for (std::size_t y = x + 1; y < list.size(); ++y)
        if (pairs.insert({list[x], list[y]}).second) g.distances.push_back({list[x], list[y]});
    if (list.size() == 3) g.volumes.push_back({static_cast<int>(v), list[0], list[1], list[2]});
  }
  return g;
}

namespace {

// The 1-4 pairs (ends of a dihedral) of a molecule, beyond the template's 1-2 and 1-3 pairs.
// Measured like the others, they are kept only where the training structures hold them fixed
// (a cis double bond of an oleoyl tail, a sterol's rings): refinement then keeps a double bond
// cis and a ring in its shape, and leaves free torsions alone.
std::vector<DistanceRestraint> torsion_pairs(const MoleculeMapping &m, const MoleculeGeometry &t)
{
  std::set<std::pair<int, int>> known;
  for (const auto &d : t.distances) known.insert({d.a, d.b});
  std::vector<std::vector<int>> neighbours(m.atoms.size());
  for (const auto &[a, b] : m.bonds) {
    if (m.atoms[a].is_hydrogen() || m.atoms[b].is_hydrogen()) continue;
    neighbours[a].push_back(b);
    neighbours[b].push_back(a);
  }
  std::vector<DistanceRestraint> out;
  for (const auto &[b, c] : m.bonds)
    for (int a : neighbours[b])
      for (int d : neighbours[c]) {
        if (a == c || d == b || a == d) continue;
        const std::pair<int, int> p{std::min(a, d), std::max(a, d)};
        if (known.insert(p).second) out.push_back({p.first, p.second});
      }
  return out;
}

// Whether a measured 1-4 distance is held fixed: 98 % of the samples within 0.3 A of the
// median. A cis C=C or a ring passes; a free torsion does not, even one that is trans most of
// the time (a lipid tail's gauche minority lies about 1 A away, so the median spread alone
// would call it fixed).
bool held_fixed(const std::vector<double> &samples, double median)
{
  std::size_t close = 0;
  for (double x : samples) close += std::fabs(x - median) < 0.3;
  return close >= 0.98 * samples.size();
}

}    // namespace

struct GeometryMeasurement::State {
  const MappingSet *mappings = nullptr;
  std::map<std::string, MoleculeGeometry> templates;
  std::map<std::string, Collected> collected;
  std::map<std::string, std::size_t> first_torsion_pair;    // where a template's 1-4 pairs begin
  PeptideSamples peptide;
  std::size_t residues = 0;
};

GeometryMeasurement::GeometryMeasurement(const MappingSet &mappings) : state_(std::make_unique<State>())
{
  State &st = *state_;
  st.mappings = &mappings;
  for (const auto &m : mappings.molecules()) {
    st.templates[m.name] = geometry_template(m);
    st.first_torsion_pair[m.name] = st.templates[m.name].distances.size();
    if (m.kind != MoleculeKind::AminoAcid)
      for (const auto &d : torsion_pairs(m, st.templates[m.name])) st.templates[m.name].distances.push_back(d);
    st.collected[m.name].distances.resize(st.templates[m.name].distances.size());
    st.collected[m.name].volumes.resize(st.templates[m.name].volumes.size());
  }
}

GeometryMeasurement::~GeometryMeasurement() = default;

void GeometryMeasurement::add(const Structure &s)
{
  State &st = *state_;
  const MoleculeMapping *prev_mapping = nullptr;    // of the residue just before, if mapped
  const Residue *prev_residue = nullptr;
  std::vector<Vec3> prev_x;
  for (const Residue &r : s.residues) {
    const ResidueMatch match = match_residue(r, *st.mappings);
    if (!match.ok()) {
      prev_mapping = nullptr;
      continue;
    }
    const std::vector<Vec3> x = mapped_positions(r, match);
    const MoleculeGeometry &t = st.templates.at(match.mapping->name);
    Collected &c = st.collected.at(match.mapping->name);
    for (std::size_t k = 0; k < t.distances.size(); ++k) {
      const Vec3 &a = x[t.distances[k].a], &b = x[t.distances[k].b];
      if (a.allFinite() && b.allFinite()) c.distances[k].push_back((a - b).norm());
    }
    for (std::size_t k = 0; k < t.volumes.size(); ++k) {
      const VolumeRestraint &v = t.volumes[k];
      if (x[v.centre].allFinite() && x[v.a].allFinite() && x[v.b].allFinite() && x[v.c].allFinite())
        c.volumes[k].push_back(signed_volume(x[v.centre], x[v.a], x[v.b], x[v.c]));
    }
    ++st.residues;
    const bool peptide_pair = prev_mapping && prev_residue->chain == r.chain &&
        prev_mapping->kind == MoleculeKind::AminoAcid && match.mapping->kind == MoleculeKind::AminoAcid;
    if (peptide_pair) collect_peptide(prev_x, *prev_mapping, x, *match.mapping, st.peptide);
    prev_mapping = match.mapping;
    prev_residue = &r;
    prev_x = x;
  }
}

std::size_t GeometryMeasurement::residues() const { return state_->residues; }

IdealGeometry GeometryMeasurement::result() const
{
  const State &st = *state_;
  IdealGeometry out;
  out.residues_measured_ = st.residues;
  if (st.residues == 0) throw std::runtime_error("ideal geometry: no residue of the inputs fits the mappings");
  for (const auto &[name, t] : st.templates) {
    const Collected &c = st.collected.at(name);
    MoleculeGeometry g;
    for (std::size_t k = 0; k < t.distances.size(); ++k) {
      if (c.distances[k].empty()) continue;
      DistanceRestraint d = t.distances[k];
      std::tie(d.target, d.sigma) = robust_centre(c.distances[k]);
      if (k >= st.first_torsion_pair.at(name) && !held_fixed(c.distances[k], d.target)) continue;
      g.distances.push_back(d);
    }
    for (std::size_t k = 0; k < t.volumes.size(); ++k) {
      if (c.volumes[k].empty()) continue;
      VolumeRestraint v = t.volumes[k];
      std::tie(v.target, v.sigma) = robust_centre(c.volumes[k]);
      g.volumes.push_back(v);
    }
    if (!g.distances.empty()) out.molecules_[name] = g;
  }
  // every term of the link measured (a capped peptide gives each from one side of the cap)
  const PeptideSamples &peptide = st.peptide;
  if (!peptide.c_n.empty() && !peptide.ca_n.empty() && !peptide.o_n.empty() && !peptide.c_ca.empty() &&
      !peptide.c_volume.empty()) {
    PeptideLinkGeometry &p = out.peptide_;
    std::tie(p.c_n, p.c_n_sigma) = robust_centre(peptide.c_n);
    std::tie(p.ca_n, p.ca_n_sigma) = robust_centre(peptide.ca_n);
    std::tie(p.o_n, p.o_n_sigma) = robust_centre(peptide.o_n);
    std::tie(p.c_ca, p.c_ca_sigma) = robust_centre(peptide.c_ca);
    std::tie(p.c_volume, p.c_volume_sigma) = robust_centre(peptide.c_volume);
    p.known = true;
  }
  return out;
}

IdealGeometry IdealGeometry::measure(const std::vector<std::string> &files, const MappingSet &mappings)
{
  GeometryMeasurement measurement(mappings);
  for (const auto &file : files) {
    Structure s;
    try {
      s = read_structure(file);
    } catch (const std::exception &) {
      continue;    // the trainer reports unreadable files; geometry just does without them
    }
    measurement.add(s);
  }
  return measurement.result();
}

const MoleculeGeometry *IdealGeometry::find(const MoleculeMapping &mapping) const
{
  const auto it = molecules_.find(mapping.name);
  return it == molecules_.end() ? nullptr : &it->second;
}

std::string IdealGeometry::to_json(const MappingSet &mappings) const
{
  nlohmann::json j;
  j["format"] = 1;
  j["residues_measured"] = residues_measured_;
  j["molecules"] = nlohmann::json::object();
  for (const auto &[name, g] : molecules_) {
    const MoleculeMapping &m = *mappings.find(name);
    auto atom = [&](int k) { return m.atoms[k].name; };
    nlohmann::json mj;
    mj["distances"] = nlohmann::json::array();
    for (const auto &d : g.distances) mj["distances"].push_back({atom(d.a), atom(d.b), d.target, d.sigma});
    mj["volumes"] = nlohmann::json::array();
    for (const auto &v : g.volumes)
      mj["volumes"].push_back({atom(v.centre), atom(v.a), atom(v.b), atom(v.c), v.target, v.sigma});
    j["molecules"][name] = mj;
  }
  if (peptide_.known) {
    const PeptideLinkGeometry &p = peptide_;
    j["peptide"] = {{"C-N", {p.c_n, p.c_n_sigma}},    {"CA-N", {p.ca_n, p.ca_n_sigma}},
                    {"O-N", {p.o_n, p.o_n_sigma}},    {"C-CA", {p.c_ca, p.c_ca_sigma}},
                    {"C-volume", {p.c_volume, p.c_volume_sigma}}};
  }
  return j.dump();
}

IdealGeometry IdealGeometry::from_json(const std::string &text, const MappingSet &mappings)
{
  IdealGeometry out;
  const nlohmann::json j = nlohmann::json::parse(text);
  if (j.at("format").get<int>() != 1) throw std::runtime_error("ideal geometry: unknown format");
  out.residues_measured_ = j.at("residues_measured").get<std::size_t>();
  for (const auto &[name, mj] : j.at("molecules").items()) {
    const MoleculeMapping *m = mappings.find(name);
    if (!m) throw std::runtime_error("ideal geometry: molecule '" + name + "' is not in the mappings");
    auto atom = [&](const nlohmann::json &v) {
      const int k = m->find_atom(v.get<std::string>());
      if (k < 0) throw std::runtime_error("ideal geometry: " + name + " has no atom " + v.get<std::string>());
      return k;
    };
    MoleculeGeometry g;
    for (const auto &d : mj.at("distances")) g.distances.push_back({atom(d[0]), atom(d[1]), d[2], d[3]});
    for (const auto &v : mj.at("volumes")) g.volumes.push_back({atom(v[0]), atom(v[1]), atom(v[2]), atom(v[3]), v[4], v[5]});
    out.molecules_[name] = g;
  }
  if (j.contains("peptide")) {
    const auto &pj = j["peptide"];
    PeptideLinkGeometry &p = out.peptide_;
    auto pair = [&](const char *key, double &value, double &sigma) {
      value = pj.at(key)[0];
      sigma = pj.at(key)[1];
    };
    pair("C-N", p.c_n, p.c_n_sigma);
    pair("CA-N", p.ca_n, p.ca_n_sigma);
    pair("O-N", p.o_n, p.o_n_sigma);
    pair("C-CA", p.c_ca, p.c_ca_sigma);
    pair("C-volume", p.c_volume, p.c_volume_sigma);
    p.known = true;
  }
  return out;
}

}    // namespace BACKMAP
