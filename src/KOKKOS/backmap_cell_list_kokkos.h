/* BACKMAP package: the network's neighbours for fix backmap/kk, built by Kokkos kernels in the
   fix's execution space. The result is the core's flat list exactly
   (TopologyBackmapper::cell_list_neighbours): one row per owned particle in local order,
   holding every particle the model backmaps within its cutoff, in ascending local index, and
   an empty row for owned particles the model does not backmap. Only Kokkos and the core's
   bead_graph.h are included (no LAMMPS header), so that unittest/kokkos/ can hold it against
   the core. Kernels capture views only (no `this`) and sit in public members: what CUDA's
   device lambdas require. */
#ifndef BACKMAP_CELL_LIST_KOKKOS_H
#define BACKMAP_CELL_LIST_KOKKOS_H

#include "bead_graph.h"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace BACKMAP {

// |d|^2 summed in the core's order ((dx dx + dy dy) + dz dz), and on a GPU without fused
// multiply-adds, so that a pair at the cutoff is decided as the core decides it on the host.
KOKKOS_INLINE_FUNCTION double squared_length(double dx, double dy, double dz)
{
#ifdef __CUDA_ARCH__
  return __dadd_rn(__dadd_rn(__dmul_rn(dx, dx), __dmul_rn(dy, dy)), __dmul_rn(dz, dz));
#else
  return dx * dx + dy * dy + dz * dz;
#endif
}

// Cells at least a cutoff wide over the bounding box of the points (LAMMPS's ghosts already
// stand for the periodic images, so there is no box to wrap into).
struct CellGridKokkos {
  double origin[3] = {0, 0, 0}, inverse_side[3] = {1, 1, 1};
  int n[3] = {1, 1, 1};

  KOKKOS_INLINE_FUNCTION int coordinate(double x, int k) const
  {
    const double s = (x - origin[k]) * inverse_side[k];
    if (!(s > 0.0)) return 0;    // below the box (and NaN, which collect refuses earlier)
    if (s >= n[k]) return n[k] - 1;
    return static_cast<int>(s);    // s > 0: truncation is floor
  }
  KOKKOS_INLINE_FUNCTION int key(int a, int b, int c) const { return (a * n[1] + b) * n[2] + c; }
  int cells() const { return n[0] * n[1] * n[2]; }
};

// What a kernel needs to visit the points near one: points are the backmapped particles,
// `particle` their local indices, `members` the points of each cell from `cell_start`.
template <class DeviceType> struct CellListNeighbourhood {
  Kokkos::View<const double *[3], Kokkos::LayoutRight, DeviceType> x;
  Kokkos::View<const int *, DeviceType> particle, cell_start, members;
  CellGridKokkos grid;
  double cutoff_squared;

  // f(j) for the local index j of every point but p within the cutoff of point p
  template <class F> KOKKOS_INLINE_FUNCTION void visit(int p, F &&f) const
  {
    const int i = particle(p);
    const double xi = x(i, 0), yi = x(i, 1), zi = x(i, 2);
    const int c[3] = {grid.coordinate(xi, 0), grid.coordinate(yi, 1), grid.coordinate(zi, 2)};
    for (int a = c[0] > 0 ? c[0] - 1 : 0; a <= c[0] + 1 && a < grid.n[0]; ++a)
      for (int b = c[1] > 0 ? c[1] - 1 : 0; b <= c[1] + 1 && b < grid.n[1]; ++b)
        for (int d = c[2] > 0 ? c[2] - 1 : 0; d <= c[2] + 1 && d < grid.n[2]; ++d) {
          const int key = grid.key(a, b, d);
          for (int m = cell_start(key); m < cell_start(key + 1); ++m) {
            const int q = members(m);
            if (q == p) continue;
            const int j = particle(q);
            if (squared_length(x(j, 0) - xi, x(j, 1) - yi, x(j, 2) - zi) < cutoff_squared) f(j);
          }
        }
  }
};

// Whether kernels of DeviceType can write host memory (Kokkos Serial, OpenMP) or must write
// their own buffers, staged to the host by a copy (a GPU).
template <class DeviceType>
constexpr bool staged_through_copies =
    !Kokkos::SpaceAccessibility<typename DeviceType::execution_space, Kokkos::HostSpace>::accessible;

// `Staged` is the GPU's way: the kernels write device buffers that are copied into the list
// once. Where the execution space reaches host memory they write the list's own std::vector
// buffers, no copy; the unit test also runs the staged way there, so that a host-only build
// runs the code a GPU takes.
template <class DeviceType, bool Staged = staged_through_copies<DeviceType>> class CellListKokkos {
 public:
  using execution_space = typename DeviceType::execution_space;
  using Policy = Kokkos::RangePolicy<execution_space>;
  using Points = Kokkos::View<const double *[3], Kokkos::LayoutRight, DeviceType>;    // local particles
  using Ids = Kokkos::View<const long *, DeviceType>;                                   // their atom IDs
  using Table = Kokkos::View<const unsigned char *, DeviceType>;    // by atom ID: 1 if the model backmaps it
  using Ints = Kokkos::View<int *, DeviceType>;
  static_assert(Staged || !staged_through_copies<DeviceType>, "this execution space cannot write host memory");
  static constexpr bool staged = Staged;

  // `x` and `ids` list the local particles, the first `owned` of them owned. Refills `out`
  // (its buffers keep their capacity). Throws std::invalid_argument on a bad cutoff or counts.
  void build(const Points &x, const Ids &ids, const Table &backmapped, int owned, double cutoff, NeighbourList &out)
  {
    if (!(cutoff > 0.0)) throw std::invalid_argument("neighbour search: the cutoff must be positive");
    if (ids.extent(0) != x.extent(0) || owned < 0 || static_cast<std::size_t>(owned) > x.extent(0))
      throw std::invalid_argument("neighbour search: positions, IDs and the owned count disagree");
    select(ids, backmapped, owned);
    make_grid(x, cutoff);
    bin(x);
    out.offsets.resize(static_cast<std::size_t>(owned) + 1);
    const Ints offsets = writable(out.offsets, offsets_);
    const int total = count(x, cutoff, owned, offsets);
    out.indices.resize(static_cast<std::size_t>(total));
    const Ints indices = writable(out.indices, indices_);
    fill(x, cutoff, offsets, indices);
    copy_back(offsets, out.offsets);
    copy_back(indices, out.indices);
  }

  // The steps, public only because a device lambda may not sit in a private member (CUDA).

  // The particles the model backmaps, owned first as in `ids` (a prefix sum compacts them).
  void select(const Ids &ids, const Table &backmapped, int owned)
  {
    const int n = static_cast<int>(ids.extent(0));
    grow(particle_, n, "backmap::particle");
    const Ints particle = particle_;
    const long table_size = static_cast<long>(backmapped.extent(0));
    int total = 0;
    Kokkos::parallel_scan(
        "backmap::select", Policy(0, n),
        KOKKOS_LAMBDA(const int i, int &k, const bool final) {
          const long id = ids(i);
          const int bead = id >= 0 && id < table_size && backmapped(id) ? 1 : 0;
          if (final && bead) particle(k) = i;
          k += bead;
        },
        total);
    int owned_points = 0;
    Kokkos::parallel_reduce(
        "backmap::owned_beads", Policy(0, owned),
        KOKKOS_LAMBDA(const int i, int &c) {
          const long id = ids(i);
          c += id >= 0 && id < table_size && backmapped(id) ? 1 : 0;
        },
        owned_points);
    points_ = total;
    owned_points_ = owned_points;
  }

  // The grid over the points' bounding box, coarsened as the core's is when a few far-flung
  // points would make it huge (any grid of cells at least a cutoff wide gives the same rows).
  void make_grid(const Points &x, double cutoff)
  {
    grid_ = CellGridKokkos();
    const int m = points_;
    if (m == 0) return;
    const Ints particle = particle_;
    double extent[3];
    for (int k = 0; k < 3; ++k) {
      Kokkos::MinMaxScalar<double> range;
      Kokkos::parallel_reduce(
          "backmap::bounds", Policy(0, m),
          KOKKOS_LAMBDA(const int p, Kokkos::MinMaxScalar<double> &r) {
            const double v = x(particle(p), k);
            if (v < r.min_val) r.min_val = v;
            if (v > r.max_val) r.max_val = v;
          },
          Kokkos::MinMax<double>(range));
      grid_.origin[k] = range.min_val - 1e-6;
      extent[k] = std::max(range.max_val - range.min_val + 2e-6, cutoff);
      // a hair under extent / cutoff cells: rounding in the cell coordinate cannot put two
      // points within the cutoff two cells apart (and at most 2^20 before coarsening)
      grid_.n[k] = std::max(1, static_cast<int>(std::min(extent[k] / (cutoff * (1.0 + 1e-12)), 1048576.0)));
    }
    auto cells = [&] { return static_cast<long>(grid_.n[0]) * grid_.n[1] * grid_.n[2]; };
    while (cells() > std::max<long>(4096, 4L * m))
      for (int k = 0; k < 3; ++k) grid_.n[k] = std::max(1, grid_.n[k] / 2);
    for (int k = 0; k < 3; ++k) grid_.inverse_side[k] = grid_.n[k] / extent[k];
  }

  // The points sorted by cell (a count, a prefix sum, a fill); the order within a cell does
  // not matter, rows are sorted at the end.
  void bin(const Points &x)
  {
    const int m = points_, ncells = grid_.cells();
    const CellGridKokkos grid = grid_;
    grow(cell_of_, m, "backmap::cell_of");
    grow(members_, m, "backmap::members");
    grow(cell_start_, ncells + 1, "backmap::cell_start");
    grow(cell_fill_, ncells, "backmap::cell_fill");
    const Ints particle = particle_, cell_of = cell_of_, members = members_, cell_start = cell_start_,
               cell_fill = cell_fill_;
    Kokkos::parallel_for("backmap::clear_cells", Policy(0, ncells), KOKKOS_LAMBDA(const int c) { cell_fill(c) = 0; });
    Kokkos::parallel_for(
        "backmap::cell_of", Policy(0, m), KOKKOS_LAMBDA(const int p) {
          const int i = particle(p);
          const int key = grid.key(grid.coordinate(x(i, 0), 0), grid.coordinate(x(i, 1), 1),
                                   grid.coordinate(x(i, 2), 2));
          cell_of(p) = key;
          Kokkos::atomic_increment(&cell_fill(key));
        });
    Kokkos::parallel_scan(
        "backmap::cell_start", Policy(0, ncells + 1), KOKKOS_LAMBDA(const int c, int &sum, const bool final) {
          const int here = c < ncells ? cell_fill(c) : 0;
          if (final) cell_start(c) = sum;
          sum += here;
        });
    Kokkos::parallel_for("backmap::clear_cells", Policy(0, ncells), KOKKOS_LAMBDA(const int c) { cell_fill(c) = 0; });
    Kokkos::parallel_for(
        "backmap::members", Policy(0, m), KOKKOS_LAMBDA(const int p) {
          const int key = cell_of(p);
          members(cell_start(key) + Kokkos::atomic_fetch_add(&cell_fill(key), 1)) = p;
        });
  }

  // Rows' lengths (zero for owned particles the model does not backmap), then their offsets
  // by a prefix sum; returns the number of neighbours in all.
  int count(const Points &x, double cutoff, int owned, const Ints &offsets)
  {
    grow(row_count_, owned + 1, "backmap::row_count");
    const Ints row_count = row_count_, particle = particle_;
    const CellListNeighbourhood<DeviceType> near = neighbourhood(x, cutoff);
    Kokkos::parallel_for("backmap::clear_rows", Policy(0, owned + 1), KOKKOS_LAMBDA(const int i) { row_count(i) = 0; });
    Kokkos::parallel_for(
        "backmap::count", Policy(0, owned_points_), KOKKOS_LAMBDA(const int p) {
          int c = 0;
          near.visit(p, [&](int) { ++c; });
          row_count(particle(p)) = c;
        });
    int total = 0;
    Kokkos::parallel_scan(
        "backmap::offsets", Policy(0, owned + 1),
        KOKKOS_LAMBDA(const int i, int &sum, const bool final) {
          const int here = row_count(i);
          if (final) offsets(i) = sum;
          sum += here;
        },
        total);
    return total;
  }

  // Each row written at its offset, then put in ascending order (insertion sort: rows hold
  // tens of neighbours).
  void fill(const Points &x, double cutoff, const Ints &offsets, const Ints &indices)
  {
    const Ints particle = particle_;
    const CellListNeighbourhood<DeviceType> near = neighbourhood(x, cutoff);
    Kokkos::parallel_for(
        "backmap::fill", Policy(0, owned_points_), KOKKOS_LAMBDA(const int p) {
          const int first = offsets(particle(p));
          int end = first;
          near.visit(p, [&](int j) { indices(end++) = j; });
          for (int a = first + 1; a < end; ++a) {
            const int v = indices(a);
            int b = a;
            for (; b > first && indices(b - 1) > v; --b) indices(b) = indices(b - 1);
            indices(b) = v;
          }
        });
  }

 private:
  CellListNeighbourhood<DeviceType> neighbourhood(const Points &x, double cutoff) const
  {
    CellListNeighbourhood<DeviceType> near;
    near.x = x;
    near.particle = particle_;
    near.cell_start = cell_start_;
    near.members = members_;
    near.grid = grid_;
    near.cutoff_squared = cutoff * cutoff;
    return near;
  }

  // scratch grows only, so that frames after the largest allocate nothing
  static void grow(Ints &v, int n, const char *label)
  {
    if (v.extent(0) < static_cast<std::size_t>(n))
      v = Ints(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), n + n / 4 + 16);
  }
  // the view kernels write `host`'s elements through: its own buffer, or staged, `scratch`
  // (copy_back brings it over)
  static Ints writable(std::vector<int> &host, Ints &scratch)
  {
    if constexpr (Staged) {
      grow(scratch, static_cast<int>(host.size()), "backmap::list");
      return scratch;
    } else {
      return Ints(host.data(), host.size());
    }
  }
  static void copy_back(const Ints &from, std::vector<int> &host)
  {
    if constexpr (Staged) {
      const Kokkos::View<int *, Kokkos::HostSpace, Kokkos::MemoryUnmanaged> to(host.data(), host.size());
      Kokkos::deep_copy(to, Kokkos::subview(from, std::make_pair(std::size_t(0), host.size())));
    }
  }

  Ints particle_, cell_of_, members_, cell_start_, cell_fill_, row_count_, offsets_, indices_;
  CellGridKokkos grid_;
  int points_ = 0, owned_points_ = 0;
};

}    // namespace BACKMAP

#endif
