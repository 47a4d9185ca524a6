/* BACKMAP package: fix backmap/replica, what a restart file keeps of the resolution exchange.

   With `exchange K` the all-atom replica is a Markov chain of its own, so a run split by
   write_restart/read_restart must continue it: the file holds the exchange's state (its
   statistics and random numbers, the core's serialisation), the fix's counts, and the replica
   after its last cycle (positions as held, image flags, velocities, its step, and the restart
   data of its own fixes, e.g. the Nose-Hoover thermostat's chain). After read_restart the
   replica is built again from the backmap of the beads (the same topology), and then takes
   that state instead of being minimised.

   write_restart runs on rank 0 alone, so the replica's state is gathered after every cycle
   (keep_replica_state), when every rank is there. */

#include "fix_backmap_replica.h"

#include "comm.h"
#include "error.h"
#include "lammps.h"
#include "modify.h"
#include "update.h"

#include "resolution_exchange.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace LAMMPS_NS;

namespace {

const char state_tag[4] = {'B', 'M', 'R', 'P'};
const std::uint32_t state_version = 1;

template <class T> void put(std::vector<char> &out, const T &value)
{
  const char *p = reinterpret_cast<const char *>(&value);
  out.insert(out.end(), p, p + sizeof(T));
}

void put_bytes(std::vector<char> &out, const std::vector<char> &bytes)
{
  put(out, static_cast<std::uint64_t>(bytes.size()));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

template <class T> void put_vector(std::vector<char> &out, const std::vector<T> &values)
{
  put(out, static_cast<std::uint64_t>(values.size()));
  const char *p = reinterpret_cast<const char *>(values.data());
  out.insert(out.end(), p, p + values.size() * sizeof(T));
}

class Reader {
 public:
  explicit Reader(const char *p) : p_(p) {}
  template <class T> T get()
  {
    T value;
    std::memcpy(&value, p_, sizeof(T));
    p_ += sizeof(T);
    return value;
  }
  std::vector<char> bytes()
  {
    const auto n = get<std::uint64_t>();
    std::vector<char> out(p_, p_ + n);
    p_ += n;
    return out;
  }
  template <class T> std::vector<T> vector()
  {
    const auto n = get<std::uint64_t>();
    std::vector<T> out(n);
    std::memcpy(out.data(), p_, n * sizeof(T));
    p_ += n * sizeof(T);
    return out;
  }
  std::string text()
  {
    const std::vector<char> b = bytes();
    return std::string(b.begin(), b.end());
  }

 private:
  const char *p_;
};

std::vector<char> text_bytes(const std::string &s)
{
  return std::vector<char>(s.begin(), s.end());
}

}    // namespace

// Every rank: the replica as it is after a cycle; rank 0 also its fixes' restart data, which
// their write_restart gives (they are written on rank 0 alone, as LAMMPS writes them).
void FixBackmapReplica::keep_replica_state()
{
  if (!replica) return;
  auto state = std::make_unique<ReplicaState>();
  in_replica([&] { state->atoms = gather_atoms_by_id(replica, replica_ids()); });
  state->step = replica->update->ntimestep;
  if (comm->me == 0) {
    for (int i = 0; i < replica->modify->nfix; ++i) {
      Fix *f = replica->modify->fix[i];
      if (!f->restart_global) continue;
      char *buffer = nullptr;
      std::size_t size = 0;
      FILE *memory = open_memstream(&buffer, &size);
      if (!memory) error->one(FLERR, "Fix backmap/replica: cannot keep the restart data of the replica's fix {}", f->id);
      f->write_restart(memory);
      fclose(memory);
      // a fix writes its byte count, then its data; the data is what its restart() reads
      if (size >= sizeof(int)) {
        state->fix_ids.emplace_back(f->id);
        state->fix_styles.emplace_back(f->style);
        state->fix_data.emplace_back(buffer + sizeof(int), buffer + size);
      }
      free(buffer);
    }
  }
  kept = std::move(state);
}

void FixBackmapReplica::write_restart(FILE *fp)
{
  if (comm->me != 0 || exchange_every == 0) return;
  std::vector<char> out(state_tag, state_tag + 4);
  put(out, state_version);
  put(out, static_cast<std::int64_t>(cycles));
  put(out, static_cast<std::int64_t>(applied));
  put(out, outputs[5]);
  put_bytes(out, exchange ? exchange->serialise() : restored_exchange);
  const ReplicaState *state = kept ? kept.get() : restored.get();
  put(out, static_cast<std::uint8_t>(state != nullptr));
  if (state) {
    put(out, static_cast<std::int64_t>(state->step));
    put_vector(out, state->atoms.ids);
    put_vector(out, state->atoms.x);
    put_vector(out, state->atoms.image);
    put_vector(out, state->atoms.v);
    put_vector(out, state->atoms.mass);
    put(out, static_cast<std::uint64_t>(state->fix_ids.size()));
    for (std::size_t f = 0; f < state->fix_ids.size(); ++f) {
      put_bytes(out, text_bytes(state->fix_ids[f]));
      put_bytes(out, text_bytes(state->fix_styles[f]));
      put_bytes(out, state->fix_data[f]);
    }
  }
  const int size = static_cast<int>(out.size());
  fwrite(&size, sizeof(int), 1, fp);
  fwrite(out.data(), 1, out.size(), fp);
}

// every rank (LAMMPS gives each the same bytes)
void FixBackmapReplica::restart(char *buf)
{
  if (exchange_every == 0) return;
  Reader in(buf);
  if (std::memcmp(buf, state_tag, 4) != 0)
    error->all(FLERR, "Fix backmap/replica: the restart data of fix {} is not an exchange state", id);
  in.get<std::int32_t>();
  const auto version = in.get<std::uint32_t>();
  if (version != state_version)
    error->all(FLERR, "Fix backmap/replica: exchange restart data version {}, this LAMMPS reads {}", version, state_version);
  cycles = in.get<std::int64_t>();
  applied = in.get<std::int64_t>();
  outputs[5] = in.get<double>();
  outputs[6] = static_cast<double>(cycles);
  restored_exchange = in.bytes();
  if (in.get<std::uint8_t>()) {
    auto state = std::make_unique<ReplicaState>();
    state->step = in.get<std::int64_t>();
    state->atoms.ids = in.vector<long>();
    state->atoms.x = in.vector<double>();
    state->atoms.image = in.vector<imageint>();
    state->atoms.v = in.vector<double>();
    state->atoms.mass = in.vector<double>();
    const auto nfix = in.get<std::uint64_t>();
    for (std::uint64_t f = 0; f < nfix; ++f) {
      state->fix_ids.push_back(in.text());
      state->fix_styles.push_back(in.text());
      state->fix_data.push_back(in.bytes());
    }
    restored = std::move(state);
  }
}
