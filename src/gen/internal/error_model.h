// File: gen/internal/error_model.h
//
// Which calls fail and how the failure reads: the background error model (a few percent of
// calls, more for scanners and misconfigured principals, per-action error mixes) and the
// service-specific errorCode / errorMessage text for each ErrorClass (e.g. AccessDenied
// becomes Client.UnauthorizedOperation with an encoded authorization message on EC2 writes,
// NoSuchBucketPolicy on GetBucketPolicy, ...).
//
//   ErrorClass e = DecideError(spec, action, persona, rng);
#pragma once

#include <string>
#include <string_view>

#include "gen/internal/actions.h"
#include "gen/internal/event_context.h"

namespace trailbook::gen::internal {

// Draws the outcome of a background call of `spec` (index `action`) by `persona`.
ErrorClass DecideError(const ActionSpec& spec, uint16_t action, const Persona& persona, Rng& rng);

// Returns the errorCode of `error` for the context's service and action; "" when the
// record carries only an errorMessage (ConsoleLogin failures).
std::string_view ErrorCode(const EventContext& c, ErrorClass error);

// Appends the errorMessage of `error` for the context's call.
void AppendErrorMessage(EventContext& c, ErrorClass error, std::string* out);

}  // namespace trailbook::gen::internal
