#include "plots.h"

#include "structure_io.h"

#include <stb_easy_font.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace BACKMAP::tool {

namespace {

struct Image {
  int width, height;
  std::vector<std::uint8_t> rgb;
  Image(int w, int h) : width(w), height(h), rgb(static_cast<std::size_t>(w) * h * 3, 255) {}
  void set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b)
  {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
    rgb[i] = r;
    rgb[i + 1] = g;
    rgb[i + 2] = b;
  }
  void rect(int x0, int y0, int x1, int y1, std::uint8_t r, std::uint8_t g, std::uint8_t b)
  {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) set(x, y, r, g, b);
  }
  // stb_easy_font gives quads for a string; each becomes a filled rectangle, scaled up
  void text(int x, int y, const std::string &s, int scale = 2)
  {
    static char buffer[60000];
    const int quads = stb_easy_font_print(0, 0, const_cast<char *>(s.c_str()), nullptr, buffer, sizeof buffer);
    for (int q = 0; q < quads; ++q) {
      const float *v = reinterpret_cast<const float *>(buffer + q * 64);
      rect(x + static_cast<int>(v[0]) * scale, y + static_cast<int>(v[1]) * scale, x + static_cast<int>(v[8]) * scale,
           y + static_cast<int>(v[9]) * scale, 0, 0, 0);
    }
  }
  void save(const std::string &path) const
  {
    if (!stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3))
      throw FileError(path + ": cannot write the PNG image");
  }
};

int bin(double angle, int bins)
{
  double u = (angle + 180.0) / 360.0;
  u -= std::floor(u);
  return std::min(bins - 1, static_cast<int>(u * bins));
}

void frame(Image &img, int x0, int y0, int size, const std::string &title, const std::string &xl, const std::string &yl)
{
  img.rect(x0 - 1, y0 - 1, x0 + size + 1, y0, 0, 0, 0);
  img.rect(x0 - 1, y0 + size, x0 + size + 1, y0 + size + 1, 0, 0, 0);
  img.rect(x0 - 1, y0, x0, y0 + size, 0, 0, 0);
  img.rect(x0 + size, y0, x0 + size + 1, y0 + size, 0, 0, 0);
  img.text(x0, y0 - 22, title);
  img.text(x0 + size / 2 - 20, y0 + size + 20, xl);
  img.text(x0 - 38, y0 + size / 2, yl);
  img.text(x0 - 20, y0 + size + 4, "-180", 1);
  img.text(x0 + size - 14, y0 + size + 4, "180", 1);
}

void ramachandran_panel(Image &img, int x0, int y0, const AnglePairs &pairs, const std::string &title)
{
  const int bins = 72, size = 360, cell = size / bins;
  std::vector<double> h(bins * bins, 0.0);
  for (auto [phi, psi] : pairs) h[bin(phi, bins) * bins + bin(psi, bins)] += 1;
  const double top = std::log1p(*std::max_element(h.begin(), h.end()));
  for (int i = 0; i < bins; ++i)
    for (int j = 0; j < bins; ++j) {
      const double v = top > 0 ? std::log1p(h[i * bins + j]) / top : 0;
      if (v <= 0) continue;
      // white -> blue -> dark blue
      const auto r = static_cast<std::uint8_t>(220 * (1 - v)), g = static_cast<std::uint8_t>(230 * (1 - v) + 20),
                 b = static_cast<std::uint8_t>(255 - 120 * v);
      img.rect(x0 + i * cell, y0 + size - (j + 1) * cell, x0 + (i + 1) * cell, y0 + size - j * cell, r, g, b);
    }
  img.rect(x0 + size / 2, y0, x0 + size / 2 + 1, y0 + size, 180, 180, 180);
  img.rect(x0, y0 + size / 2, x0 + size, y0 + size / 2 + 1, 180, 180, 180);
  frame(img, x0, y0, size, title + " (" + std::to_string(pairs.size()) + ")", "phi", "psi");
}

void histogram_panel(Image &img, int x0, int y0, const std::vector<double> &ref, const std::vector<double> &pred,
                     const std::string &title)
{
  const int bins = 36, size = 360, cell = size / bins;
  std::vector<double> a(bins, 0), b(bins, 0);
  for (double x : ref) a[bin(x, bins)] += 1.0 / std::max<std::size_t>(1, ref.size());
  for (double x : pred) b[bin(x, bins)] += 1.0 / std::max<std::size_t>(1, pred.size());
  const double top = std::max(*std::max_element(a.begin(), a.end()), *std::max_element(b.begin(), b.end()));
  for (int i = 0; i < bins && top > 0; ++i) {
    const int ha = static_cast<int>(size * a[i] / top), hb = static_cast<int>(size * b[i] / top);
    img.rect(x0 + i * cell, y0 + size - ha, x0 + (i + 1) * cell - 1, y0 + size, 190, 190, 190);
    img.rect(x0 + i * cell, y0 + size - hb - 1, x0 + (i + 1) * cell, y0 + size - hb + 1, 200, 0, 0);
  }
  frame(img, x0, y0, size, title, "degrees", "");
}

}    // namespace

void write_ramachandran_png(const std::string &path, const AnglePairs &reference, const AnglePairs &predicted)
{
  Image img(900, 460);
  ramachandran_panel(img, 50, 40, reference, "reference");
  ramachandran_panel(img, 500, 40, predicted, "backmapped");
  img.save(path);
}

void write_chi_png(const std::string &path, const std::vector<double> &ref_chi1, const std::vector<double> &pred_chi1,
                   const std::vector<double> &ref_chi2, const std::vector<double> &pred_chi2)
{
  Image img(900, 460);
  histogram_panel(img, 50, 40, ref_chi1, pred_chi1, "chi1: reference grey, backmapped red");
  histogram_panel(img, 500, 40, ref_chi2, pred_chi2, "chi2");
  img.save(path);
}

}    // namespace BACKMAP::tool
