#include "peptide_link.h"

namespace BACKMAP {

bool follows_in_numbering(int previous, int number)
{
  if (number - previous == 1) return true;
  return previous > 0 && previous % 10000 == 9999 && (number == 0 || number == 1);
}

}    // namespace BACKMAP
