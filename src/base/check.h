// File: base/check.h
//
// TB_CHECK(cond) << "why";   aborts with a message when an invariant is broken.
// TB_DCHECK(cond) << "why";  the same, compiled out in release builds (NDEBUG).
//
// Only for broken invariants: never reachable from user input, tokens or files
// (STYLE.md section 3). Input errors are Status values.
#pragma once

#include <sstream>

namespace trailbook::internal {

// Collects the message of a failed check and aborts in its destructor.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  [[noreturn]] ~CheckFailure();
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;

  template <typename T>
  CheckFailure& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }

 private:
  std::ostringstream stream_;
};

// Swallows the stream in the passing branch of a check.
struct CheckVoidify {
  void operator&(const CheckFailure&) {}
};

}  // namespace trailbook::internal

#define TB_CHECK(cond)                  \
  (cond) ? (void)0                      \
         : ::trailbook::internal::CheckVoidify() & \
               ::trailbook::internal::CheckFailure(__FILE__, __LINE__, #cond)

#ifdef NDEBUG
#define TB_DCHECK(cond) \
  while (false) TB_CHECK(cond)
#else
#define TB_DCHECK(cond) TB_CHECK(cond)
#endif
