#include "gen/internal/random.h"

#include <cmath>

namespace trailbook::gen::internal {

std::vector<double> ZipfWeights(size_t n, double s, double q) {
  std::vector<double> weights;
  weights.reserve(n);
  for (size_t k = 1; k <= n; ++k) {
    const double x = static_cast<double>(k) + q;
    double denom;
    if (s == 0.5) {
      denom = std::sqrt(x);
    } else if (s == 1.5) {
      denom = x * std::sqrt(x);
    } else if (s == 2.0) {
      denom = x * x;
    } else {
      TB_CHECK(s == 1.0) << "unsupported Zipf exponent " << s;
      denom = x;
    }
    weights.push_back(1.0 / denom);
  }
  return weights;
}

}  // namespace trailbook::gen::internal
