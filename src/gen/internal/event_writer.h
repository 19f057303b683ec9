// File: gen/internal/event_writer.h
//
// The record envelope: resolving who calls (the persona's session, access key, source IP
// and rendered user agent at the event time) and writing the complete CloudTrail record in
// CloudTrail's field order (eventVersion, userIdentity, eventTime, ..., tlsDetails,
// sessionCredentialFromConsole) around the parts an action builder produced.
//
//   ResolveCaller(c, kNoOverride, kNoOverride);
//   spec.build(c);
//   WriteRecord(c, &out);
#pragma once

#include <cstdint>
#include <string>

#include "gen/internal/event_context.h"

namespace trailbook::gen::internal {

// Fills c.caller() for c.persona() at c.time(): session name, key and creation time are
// derived from (seed, persona, session slot) so every event of a session agrees; the IP
// and user agent follow the persona's habits unless `ip_override` / `ua_override` (indices
// into Population::ips / uas, or kNoOverride) replace them. `force_console` makes a
// person's call a console call (console sessions).
void ResolveCaller(EventContext& c, uint32_t ip_override, uint32_t ua_override,
                   bool force_console);

// Appends the minified JSON record for the context (after the builder ran) to `out`.
void WriteRecord(EventContext& c, std::string* out);

}  // namespace trailbook::gen::internal
