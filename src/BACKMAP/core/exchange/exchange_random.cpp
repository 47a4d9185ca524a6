#include "exchange_random.h"

#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace BACKMAP {

ExchangeRandom::ExchangeRandom(std::uint64_t seed) : engine_(seed) {}

double ExchangeRandom::uniform()
{
  // the top 53 bits, shifted by half a step: the midpoints of 2^53 equal cells of (0, 1)
  return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
}

double ExchangeRandom::normal()
{
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

std::string ExchangeRandom::state() const
{
  std::ostringstream out;
  out << engine_ << ' ' << (has_spare_ ? 1 : 0) << ' ';
  // the spare's exact bits, so that the text gives back the same double
  std::uint64_t bits;
  std::memcpy(&bits, &spare_, sizeof bits);
  out << bits;
  return out.str();
}

void ExchangeRandom::set_state(const std::string &text)
{
  std::istringstream in(text);
  std::mt19937_64 engine;
  int has_spare = -1;
  std::uint64_t bits = 0;
  in >> engine >> has_spare >> bits;
  std::string rest;
  if (in.fail() || (has_spare != 0 && has_spare != 1) || (in >> rest))
    throw std::invalid_argument("resolution exchange: the random-number state is not one this code wrote");
  engine_ = engine;
  has_spare_ = has_spare == 1;
  std::memcpy(&spare_, &bits, sizeof bits);
}

bool ExchangeRandom::operator==(const ExchangeRandom &other) const
{
  return engine_ == other.engine_ && has_spare_ == other.has_spare_ &&
         std::memcmp(&spare_, &other.spare_, sizeof spare_) == 0;
}

}    // namespace BACKMAP
