#include "cli/exit_code.h"

namespace trailbook::cli {

ExitCode ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return ExitCode::kOk;
    case StatusCode::kUnauthenticated: return ExitCode::kUnauthenticated;
    case StatusCode::kPermissionDenied: return ExitCode::kPermissionDenied;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kResourceExhausted:
    case StatusCode::kCancelled:
    case StatusCode::kUnimplemented: return ExitCode::kRunbookError;
    case StatusCode::kIOError:
    case StatusCode::kCorruption: return ExitCode::kStoreError;
    case StatusCode::kAlreadyExists:
    case StatusCode::kInternal: return ExitCode::kFailure;
  }
  return ExitCode::kFailure;
}

}  // namespace trailbook::cli
