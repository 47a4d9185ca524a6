/* BACKMAP package: fix backmap/replica, what a restart file keeps of the replica.

   Without exchange, each cycle builds the replica again from the frame, so the file holds only
   the fix's outputs, the step of its last cycle (a continued run does not repeat it) and a
   seed feedback not yet applied (bead IDs, mapped positions, the cycle's step, and whether it
   waits for the next run's start or for the next step of the run the file was written in).

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

const char state_tag[4] = {'B', 'M', 'R', 'P'};    // the exchange's state
const std::uint32_t state_version = 1;
const char cycle_tag[4] = {'B', 'M', 'R', 'F'};    // without exchange: outputs, last cycle, pending feedback
const std::uint32_t cycle_version = 1;

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

// Without exchange: the outputs, the last cycle's step and a pending feedback. A feedback
// pending when the file is written within a run (restart N) is applied where that run would
// have applied it, in the pre_exchange of the step after its cycle; one pending when the run
// has ended (write_restart, or the run's last step) is applied when the next run starts.
void FixBackmapReplica::write_cycle_restart(FILE *fp)
{
  std::vector<char> out(cycle_tag, cycle_tag + 4);
  put(out, cycle_version);
  put(out, static_cast<std::int64_t>(last_step));
  for (double o : outputs) put(out, o);
  const bool within_run = update->whichflag != 0 && update->ntimestep != update->laststep;
  put(out, static_cast<std::uint8_t>(!feedback_ids.empty() && (within_run || !feedback_at_setup)));
  put(out, static_cast<std::int64_t>(feedback_step));
  put_vector(out, feedback_ids);
  put_vector(out, feedback_positions);
  const int size = static_cast<int>(out.size());
  fwrite(&size, sizeof(int), 1, fp);
  fwrite(out.data(), 1, out.size(), fp);
}

void FixBackmapReplica::read_cycle_restart(const char *buf)
{
  Reader in(buf);
  in.get<std::int32_t>();
  const auto version = in.get<std::uint32_t>();
  if (version != cycle_version)
    error->all(FLERR, "Fix backmap/replica: restart data version {}, this LAMMPS reads {}", version, cycle_version);
  last_step = in.get<std::int64_t>();
  for (double &o : outputs) o = in.get<double>();
  const bool next_step = in.get<std::uint8_t>() != 0;
  const bigint step = in.get<std::int64_t>();
  std::vector<long> ids = in.vector<long>();
  std::vector<double> positions = in.vector<double>();
  if (ids.empty()) return;
  if (!feedback) {
    if (comm->me == 0)
      error->warning(FLERR, "Fix backmap/replica {}: the restart file holds a seed feedback of CG step {} not yet "
                     "applied; the fix has feedback none now and drops it", id, step);
    return;
  }
  feedback_ids = std::move(ids);
  feedback_positions = std::move(positions);
  feedback_step = step;
  feedback_at_setup = !next_step;
  next_reneighbor = next_step ? step + 1 : -1;
}

void FixBackmapReplica::write_restart(FILE *fp)
{
  if (comm->me != 0) return;
  if (exchange_every == 0) {
    write_cycle_restart(fp);
    return;
  }
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
  if (exchange_every == 0) {
    if (std::memcmp(buf, cycle_tag, 4) == 0) {
      read_cycle_restart(buf);
    } else if (comm->me == 0) {
      error->warning(FLERR, "Fix backmap/replica {}: the restart file holds a resolution exchange's state; "
                     "the fix has no exchange now and starts afresh", id);
    }
    return;
  }
  if (std::memcmp(buf, cycle_tag, 4) == 0) {    // written without exchange: nothing to continue
    if (comm->me == 0)
      error->warning(FLERR, "Fix backmap/replica {}: the restart file was written without exchange; the exchange "
                     "starts afresh", id);
    return;
  }
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
