/* Plots `backmap eval --plots` writes: PNG images drawn here and encoded by Debian's stb. */
#ifndef BACKMAP_TOOL_PLOTS_H
#define BACKMAP_TOOL_PLOTS_H

#include <string>
#include <utility>
#include <vector>

namespace BACKMAP::tool {

using AnglePairs = std::vector<std::pair<double, double>>;

// Reference and backmapped Ramachandran maps side by side (5-degree bins, log colour scale).
void write_ramachandran_png(const std::string &path, const AnglePairs &reference, const AnglePairs &predicted);

// chi1 and chi2 histograms (10-degree bins): reference as grey bars, backmapped as red steps.
void write_chi_png(const std::string &path, const std::vector<double> &ref_chi1, const std::vector<double> &pred_chi1,
                   const std::vector<double> &ref_chi2, const std::vector<double> &pred_chi2);

}    // namespace BACKMAP::tool

#endif
