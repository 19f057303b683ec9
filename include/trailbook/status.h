// File: trailbook/status.h
//
// Provides trailbook::Status and trailbook::Result<T>, the error vocabulary of every
// fallible function in trailbook (our code never throws; see STYLE.md section 3).
//
//   Result<Segment> r = Segment::Open(path);
//   if (!r.ok()) return r.status();
//   Segment seg = std::move(r).value();
#pragma once

#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace trailbook {

// DO NOT CHANGE the numeric values: they are written into audit events (docs/format/audit.md).
enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument = 1,   // Bad SQL, bad input record, bad flag.
  kNotFound = 2,
  kCorruption = 3,        // Bad bytes in a file we wrote.
  kIOError = 4,
  kUnauthenticated = 5,   // Token did not verify.
  kPermissionDenied = 6,  // Token verified but does not allow the request.
  kResourceExhausted = 7, // A limit was hit (memory, size, queue).
  kUnimplemented = 8,
  kInternal = 9,          // A bug in trailbook.
  kCancelled = 10,        // The caller cancelled, or a deadline passed.
  kAlreadyExists = 11,
};

// Returns the stable name of `code`, e.g. "InvalidArgument".
std::string_view StatusCodeName(StatusCode code);

// Status is an error code plus a message. The OK status carries no allocation.
//
// Thread safety: a Status is a value; distinct objects may be used concurrently.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns "Code: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` ("reading segment 12: ...").
  Status WithContext(std::string_view context) const;

  bool operator==(const Status& other) const = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status Corruption(std::string message);
Status IOError(std::string message);
Status Unauthenticated(std::string message);
Status PermissionDenied(std::string message);
Status ResourceExhausted(std::string message);
Status Unimplemented(std::string message);
Status Internal(std::string message);
Status Cancelled(std::string message);
Status AlreadyExists(std::string message);

// Result<T> holds either a value or a non-OK Status.
//
// REQUIRES: a Result is never constructed from an OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<1>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::in_place_index<0>, std::move(status)) {  // NOLINT
    if (std::get<0>(data_).ok()) {
      data_.template emplace<0>(StatusCode::kInternal, "Result constructed from OK status");
    }
  }
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, Result<T>>>>
  Result(U&& value) : data_(std::in_place_index<1>, T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return data_.index() == 1; }

  // Returns the error, or OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<0>(data_); }

  // REQUIRES: ok().
  T& value() & { return std::get<1>(data_); }
  const T& value() const& { return std::get<1>(data_); }
  T&& value() && { return std::get<1>(std::move(data_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace trailbook
