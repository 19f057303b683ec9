#include "server/client_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace trailbook::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::array<uint8_t, 16>> ParseIpAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buffer[64];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  std::array<uint8_t, 16> out{};
  in_addr v4;
  if (inet_pton(AF_INET, buffer, &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buffer, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

Result<AddressSet> AddressSet::Parse(const std::vector<std::string>& entries) {
  AddressSet set;
  for (const std::string& entry : entries) {
    std::string_view text = entry;
    std::string_view address = text;
    std::optional<unsigned> prefix;
    size_t slash = text.find('/');
    if (slash != std::string_view::npos) {
      address = text.substr(0, slash);
      std::string_view bits = text.substr(slash + 1);
      unsigned value = 0;
      auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), value);
      if (bits.empty() || ec != std::errc() || ptr != bits.data() + bits.size()) {
        return InvalidArgument("trusted proxy '" + entry + "': bad prefix length");
      }
      prefix = value;
    }
    auto bytes = ParseIpAddress(address);
    if (!bytes) return InvalidArgument("trusted proxy '" + entry + "': not an IP address or CIDR");
    bool v4 = address.find(':') == std::string_view::npos;
    unsigned max_bits = v4 ? 32 : 128;
    unsigned bits = prefix.value_or(max_bits);
    if (bits > max_bits) {
      return InvalidArgument("trusted proxy '" + entry + "': prefix longer than the address");
    }
    Block block;
    block.bytes = *bytes;
    block.prefix_bits = v4 ? bits + 96 : bits;
    set.blocks_.push_back(block);
  }
  return set;
}

bool AddressSet::Contains(std::string_view address) const {
  if (blocks_.empty()) return false;
  auto bytes = ParseIpAddress(address);
  if (!bytes) return false;
  for (const Block& block : blocks_) {
    unsigned full = block.prefix_bits / 8;
    unsigned rest = block.prefix_bits % 8;
    if (std::memcmp(bytes->data(), block.bytes.data(), full) != 0) continue;
    if (rest != 0) {
      auto mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((((*bytes)[full]) & mask) != (block.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string ResolveClientAddress(std::string_view peer, std::string_view forwarded_for,
                                 const AddressSet& trusted_proxies) {
  std::string client(peer);
  if (forwarded_for.empty() || !trusted_proxies.Contains(peer)) return client;
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    size_t comma = rest.rfind(',');
    std::string_view hop = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (!ParseIpAddress(hop)) break;
    client = std::string(hop);
    if (!trusted_proxies.Contains(hop)) break;
  }
  return client;
}

}  // namespace trailbook::server
