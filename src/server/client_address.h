// File: server/client_address.h
//
// Who is calling: the client address recorded in audit events and the access log. The TCP
// peer is the client unless the peer is a configured trusted proxy, in which case the
// X-Forwarded-For chain is walked from the right, skipping trusted proxies, and the first
// untrusted hop is the client. A forged X-Forwarded-For from an untrusted peer is ignored.
//
//   TB_ASSIGN_OR_RETURN(AddressSet proxies, AddressSet::Parse({"10.0.0.0/8", "::1"}));
//   std::string client = ResolveClientAddress(peer, xff_header, proxies);
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace trailbook::server {

// A set of IPv4/IPv6 addresses and CIDR blocks. IPv4 addresses are kept as IPv4-mapped
// IPv6 so "10.0.0.1" and "::ffff:10.0.0.1" match the same entries.
//
// Thread safety: immutable after Parse; safe to share.
class AddressSet {
 public:
  AddressSet() = default;

  // Parses "a.b.c.d", "a.b.c.d/n", "v6" or "v6/n". Returns kInvalidArgument naming the bad
  // entry.
  static Result<AddressSet> Parse(const std::vector<std::string>& entries);

  // Returns true when `address` (textual IPv4 or IPv6) is inside one of the entries. Text
  // that is not an address never matches.
  bool Contains(std::string_view address) const;

  bool empty() const { return blocks_.empty(); }

 private:
  struct Block {
    std::array<uint8_t, 16> bytes{};
    unsigned prefix_bits = 128;
  };
  std::vector<Block> blocks_;
};

// Parses a textual IPv4 or IPv6 address into IPv6 bytes (IPv4 mapped). nullopt otherwise.
std::optional<std::array<uint8_t, 16>> ParseIpAddress(std::string_view text);

// Returns the client address for a request from `peer` carrying `forwarded_for` (the raw
// X-Forwarded-For value, "" when absent). Entries that are not IP addresses end the walk
// (the last good hop is used).
std::string ResolveClientAddress(std::string_view peer, std::string_view forwarded_for,
                                 const AddressSet& trusted_proxies);

}  // namespace trailbook::server
