// Real training structures from ../shared/data (present in CI and on developer machines;
// skipped elsewhere): they load and reconstruct exactly, lipids included.
#include "roundtrip.h"
#include "structure_io.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace BACKMAP;
using namespace BACKMAP::test;

namespace {

RoundtripReport check(const std::string &rel, long min_mapped)
{
  const std::string path = shared_data(rel);
  const RoundtripReport r = roundtrip(read_structure(path), martini3());
  EXPECT_GE(r.residues_mapped, min_mapped) << rel;
  EXPECT_LT(r.max_error(), 1e-4) << rel;
  return r;
}

}    // namespace

TEST(SharedData, ProteinsWithJunkColumnsSegmentsAndPdbqt)
{
  SKIP_IF_MISSING(shared_data("proteins"));
  check("proteins/bm5/1ACB_l_b-matched.pdb.gz", 60);          // numbers in the charge columns
  check("proteins/debian/autodock-test__1pgp_rec.pdbqt.gz", 900);    // charges where segments go
  check("proteins/debian/python3-prody-tests__mmcif_6zu5.cif.gz", 9000);
}

TEST(SharedData, LipidBilayersIncludingAmbiguousTruncatedNames)
{
  SKIP_IF_MISSING(shared_data("lipids"));
  // OpenMM writes POPC and POPE both as POP: all 128 lipids must still map, to the right one
  for (const char *lipid : {"POPC", "POPE", "DOPC", "DPPC", "DMPC"}) {
    const RoundtripReport r = check(std::string("lipids/openmm/") + lipid + ".pdb.gz", 128);
    EXPECT_EQ(r.residues_mapped, 128) << lipid;
  }
  const RoundtripReport chol = check("lipids/nmrlipids/POPCchol_50pct_POPC_50CHOL.gro.gz", 100);
  EXPECT_GT(chol.molecule.atoms, 0);
}
