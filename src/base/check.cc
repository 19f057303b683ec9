#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace trailbook::internal {

CheckFailure::CheckFailure(const char* file, int line, const char* condition) {
  stream_ << file << ":" << line << ": check failed: " << condition << " ";
}

CheckFailure::~CheckFailure() {
  // An invariant is broken; printing here is the one exception to "library code never prints".
  std::fprintf(stderr, "%s\n", stream_.str().c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace trailbook::internal
