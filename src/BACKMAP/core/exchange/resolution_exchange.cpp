#include "resolution_exchange.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace BACKMAP {

namespace {

const char state_tag[4] = {'B', 'M', 'R', 'X'};
const std::uint32_t state_version = 1;

template <class T> void put(std::vector<char> &out, const T &value)
{
  const char *p = reinterpret_cast<const char *>(&value);
  out.insert(out.end(), p, p + sizeof(T));
}

// Reads values in order from a byte range, refusing to read past its end.
class Reader {
 public:
  Reader(const char *bytes, std::size_t size) : p_(bytes), left_(size) {}
  template <class T> T get()
  {
    T value;
    need(sizeof(T));
    std::memcpy(&value, p_, sizeof(T));
    p_ += sizeof(T);
    left_ -= sizeof(T);
    return value;
  }
  std::string text(std::size_t n)
  {
    need(n);
    std::string s(p_, n);
    p_ += n;
    left_ -= n;
    return s;
  }
  std::size_t left() const { return left_; }

 private:
  void need(std::size_t n) const
  {
    if (left_ < n) throw std::invalid_argument("resolution exchange: the saved state is cut short");
  }
  const char *p_;
  std::size_t left_;
};

}    // namespace

ResolutionExchange::ResolutionExchange(double beta_cg, double beta_aa, std::uint64_t seed)
    : beta_cg_(beta_cg), beta_aa_(beta_aa), random_(seed)
{
  if (!(beta_cg > 0.0) || !std::isfinite(beta_cg) || !(beta_aa > 0.0) || !std::isfinite(beta_aa))
    throw std::invalid_argument("resolution exchange: 1/kT of each replica must be a positive finite number");
}

double ResolutionExchange::log_acceptance(const ExchangeEnergies &e, const ExchangeDensities &q) const
{
  return -beta_aa_ * (e.aa_proposed - e.aa_current) - beta_cg_ * (e.cg_proposed - e.cg_current) +
         (q.current - q.proposed);
}

ExchangeDecision ResolutionExchange::decide(const ExchangeEnergies &energies, const ExchangeDensities &densities)
{
  ExchangeDecision d;
  d.log_acceptance = log_acceptance(energies, densities);
  const double u = random_.uniform();    // always drawn: see the header
  // an infinite current energy with a finite proposal gives +inf (accept: leaving an
  // impossible state); inf - inf is NaN (reject)
  if (std::isnan(d.log_acceptance)) {
    d.probability = 0.0;
    d.accepted = false;
  } else {
    d.probability = d.log_acceptance >= 0.0 ? 1.0 : std::exp(d.log_acceptance);
    d.accepted = std::log(u) < d.log_acceptance;
  }
  ExchangeStatistics &s = statistics_;
  ++s.attempts;
  if (d.accepted) ++s.accepted;
  s.probability_sum += d.probability;
  s.last_delta_aa = energies.aa_proposed - energies.aa_current;
  s.last_delta_cg = energies.cg_proposed - energies.cg_current;
  s.last_log_q_ratio = densities.current - densities.proposed;
  s.last_log_acceptance = d.log_acceptance;
  return d;
}

std::vector<char> ResolutionExchange::serialise() const
{
  std::vector<char> out(state_tag, state_tag + 4);
  put(out, state_version);
  const ExchangeStatistics &s = statistics_;
  put(out, s.attempts);
  put(out, s.accepted);
  for (double v : {s.probability_sum, s.last_delta_aa, s.last_delta_cg, s.last_log_q_ratio, s.last_log_acceptance})
    put(out, v);
  const std::string random = random_.state();
  put(out, static_cast<std::uint64_t>(random.size()));
  out.insert(out.end(), random.begin(), random.end());
  return out;
}

void ResolutionExchange::deserialise(const char *bytes, std::size_t size)
{
  Reader in(bytes, size);
  if (in.text(4) != std::string(state_tag, 4))
    throw std::invalid_argument("resolution exchange: the saved state does not start with its tag BMRX");
  const auto version = in.get<std::uint32_t>();
  if (version != state_version)
    throw std::invalid_argument("resolution exchange: saved state version " + std::to_string(version) +
                                ", this code reads version " + std::to_string(state_version));
  ExchangeStatistics s;
  s.attempts = in.get<std::int64_t>();
  s.accepted = in.get<std::int64_t>();
  s.probability_sum = in.get<double>();
  s.last_delta_aa = in.get<double>();
  s.last_delta_cg = in.get<double>();
  s.last_log_q_ratio = in.get<double>();
  s.last_log_acceptance = in.get<double>();
  if (s.attempts < 0 || s.accepted < 0 || s.accepted > s.attempts)
    throw std::invalid_argument("resolution exchange: the saved counts are inconsistent");
  const auto length = in.get<std::uint64_t>();
  if (length != in.left()) throw std::invalid_argument("resolution exchange: the saved state has the wrong length");
  ExchangeRandom random;
  random.set_state(in.text(length));
  statistics_ = s;
  random_ = random;
}

}    // namespace BACKMAP
