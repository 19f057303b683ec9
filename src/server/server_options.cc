#include "server/server_options.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <functional>
#include <map>

#include "server/client_address.h"

namespace trailbook::server {
namespace {

std::string Where(std::string_view source, const YAML::Node& node, std::string_view key) {
  return std::string(source) + ":" + std::to_string(node.Mark().line + 1) + ": server." +
         std::string(key);
}

// Reads a non-negative integer scalar. yaml-cpp throws on conversion failure; the caller
// catches (this is the adapter to yaml-cpp).
Result<uint64_t> ReadUnsigned(const YAML::Node& node, std::string_view source,
                              std::string_view key, uint64_t min, uint64_t max) {
  if (!node.IsScalar()) return InvalidArgument(Where(source, node, key) + ": expected a number");
  const std::string& text = node.Scalar();
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return InvalidArgument(Where(source, node, key) + ": expected a non-negative integer, got '" +
                           text + "'");
  }
  if (value < min || value > max) {
    return InvalidArgument(Where(source, node, key) + ": must be between " + std::to_string(min) +
                           " and " + std::to_string(max) + ", got " + text);
  }
  return value;
}

Result<std::string> ReadString(const YAML::Node& node, std::string_view source,
                               std::string_view key) {
  if (!node.IsScalar()) return InvalidArgument(Where(source, node, key) + ": expected a string");
  return node.Scalar();
}

Status ApplyLimits(const YAML::Node& limits, std::string_view source, ServerLimits* out) {
  if (!limits.IsMap()) return InvalidArgument(Where(source, limits, "limits") + ": expected a mapping");
  using Setter = std::function<Status(const YAML::Node&, const std::string&)>;
  auto size = [&](size_t* field, uint64_t min, uint64_t max) -> Setter {
    return [=, &source](const YAML::Node& n, const std::string& key) -> Status {
      TB_ASSIGN_OR_RETURN(uint64_t v, ReadUnsigned(n, source, "limits." + key, min, max));
      *field = static_cast<size_t>(v);
      return Status::OK();
    };
  };
  auto millis = [&](std::chrono::milliseconds* field, uint64_t max) -> Setter {
    return [=, &source](const YAML::Node& n, const std::string& key) -> Status {
      TB_ASSIGN_OR_RETURN(uint64_t v, ReadUnsigned(n, source, "limits." + key, 1, max));
      *field = std::chrono::milliseconds(static_cast<int64_t>(v));
      return Status::OK();
    };
  };
  auto seconds = [&](std::chrono::seconds* field) -> Setter {
    return [=, &source](const YAML::Node& n, const std::string& key) -> Status {
      TB_ASSIGN_OR_RETURN(uint64_t v, ReadUnsigned(n, source, "limits." + key, 1, 3600));
      *field = std::chrono::seconds(static_cast<int64_t>(v));
      return Status::OK();
    };
  };
  const std::map<std::string, Setter> setters = {
      {"max_header_bytes", size(&out->max_header_bytes, 256, 1 << 20)},
      {"max_body_bytes", size(&out->max_body_bytes, 64, uint64_t{1} << 30)},
      {"max_token_bytes", size(&out->max_token_bytes, 64, 1 << 16)},
      {"max_param_bytes", size(&out->max_param_bytes, 1, 1 << 24)},
      {"max_concurrent_queries", size(&out->max_concurrent_queries, 1, 1024)},
      {"max_queued_queries", size(&out->max_queued_queries, 0, 1 << 16)},
      {"queue_timeout_ms", millis(&out->queue_timeout, 600000)},
      {"query_timeout_ms", millis(&out->query_timeout, 86400000)},
      {"query_memory_mb",
       [&source, out](const YAML::Node& n, const std::string& key) -> Status {
         TB_ASSIGN_OR_RETURN(uint64_t v, ReadUnsigned(n, source, "limits." + key, 1, 1 << 20));
         out->query_memory_bytes = static_cast<size_t>(v) << 20;
         return Status::OK();
       }},
      {"default_page_rows", size(&out->default_page_rows, 1, 10000000)},
      {"max_page_rows", size(&out->max_page_rows, 1, 10000000)},
      {"max_page_bytes", size(&out->max_page_bytes, 1024, uint64_t{1} << 32)},
      {"read_timeout_s", seconds(&out->read_timeout)},
      {"write_timeout_s", seconds(&out->write_timeout)},
      {"keep_alive_timeout_s", seconds(&out->keep_alive_timeout)},
      {"worker_threads", size(&out->worker_threads, 1, 4096)},
      {"query_threads",
       [&source, out](const YAML::Node& n, const std::string& key) -> Status {
         TB_ASSIGN_OR_RETURN(uint64_t v, ReadUnsigned(n, source, "limits." + key, 1, 256));
         out->query_threads = static_cast<unsigned>(v);
         return Status::OK();
       }},
  };
  for (const auto& entry : limits) {
    std::string key = entry.first.Scalar();
    auto it = setters.find(key);
    if (it == setters.end()) {
      return InvalidArgument(Where(source, entry.first, "limits." + key) + ": unknown key");
    }
    TB_RETURN_IF_ERROR(it->second(entry.second, key));
  }
  return Status::OK();
}

Status ApplyServerNode(const YAML::Node& server, std::string_view source, ServerOptions* options) {
  if (!server.IsMap()) return InvalidArgument(std::string(source) + ": server: expected a mapping");
  for (const auto& entry : server) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& value = entry.second;
    if (key == "listen") {
      TB_ASSIGN_OR_RETURN(std::string text, ReadString(value, source, key));
      Status s = ParseListenAddress(text, &options->host, &options->port);
      if (!s.ok()) return InvalidArgument(Where(source, value, key) + ": " + s.message());
    } else if (key == "limits") {
      TB_RETURN_IF_ERROR(ApplyLimits(value, source, &options->limits));
    } else if (key == "trusted_proxies") {
      if (!value.IsSequence()) {
        return InvalidArgument(Where(source, value, key) + ": expected a list of addresses");
      }
      options->trusted_proxies.clear();
      for (const auto& item : value) {
        TB_ASSIGN_OR_RETURN(std::string text, ReadString(item, source, key));
        options->trusted_proxies.push_back(text);
      }
    } else if (key == "tls_cert") {
      TB_ASSIGN_OR_RETURN(options->tls_cert_file, ReadString(value, source, key));
    } else if (key == "tls_key") {
      TB_ASSIGN_OR_RETURN(options->tls_key_file, ReadString(value, source, key));
    } else if (key == "shutdown_deadline_ms") {
      TB_ASSIGN_OR_RETURN(uint64_t v, ReadUnsigned(value, source, key, 0, 600000));
      options->shutdown_deadline = std::chrono::milliseconds(static_cast<int64_t>(v));
    } else if (key == "token_cache_entries") {
      TB_ASSIGN_OR_RETURN(uint64_t v, ReadUnsigned(value, source, key, 0, 10000000));
      options->token_cache_entries = static_cast<size_t>(v);
    } else if (key == "access_log") {
      TB_ASSIGN_OR_RETURN(std::string text, ReadString(value, source, key));
      if (text != "true" && text != "false") {
        return InvalidArgument(Where(source, value, key) + ": expected true or false");
      }
      options->access_log = text == "true";
    } else {
      return InvalidArgument(Where(source, entry.first, key) + ": unknown key");
    }
  }
  return Status::OK();
}

}  // namespace

Status ParseListenAddress(std::string_view text, std::string* host, uint16_t* port) {
  std::string_view host_part;
  std::string_view port_part;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return InvalidArgument("listen address '" + std::string(text) + "': expected [v6]:port");
    }
    host_part = text.substr(1, close - 1);
    port_part = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return InvalidArgument("listen address '" + std::string(text) + "': expected host:port");
    }
    host_part = text.substr(0, colon);
    port_part = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), value);
  if (host_part.empty() || port_part.empty() || ec != std::errc() ||
      ptr != port_part.data() + port_part.size() || value > 65535) {
    return InvalidArgument("listen address '" + std::string(text) +
                           "': expected host:port with a port in 0..65535");
  }
  *host = std::string(host_part);
  *port = static_cast<uint16_t>(value);
  return Status::OK();
}

Status ApplyServerYaml(std::string_view yaml_text, std::string_view source,
                       ServerOptions* options) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root.IsDefined() || root.IsNull()) return Status::OK();
    if (!root.IsMap()) return InvalidArgument(std::string(source) + ": expected a mapping at the top");
    YAML::Node server = root["server"];
    if (!server.IsDefined() || server.IsNull()) return Status::OK();
    return ApplyServerNode(server, source, options);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string(source) + ":" + std::to_string(e.mark.line + 1) +
                           ": malformed YAML: " + e.msg);
  }
}

Status ValidateServerOptions(const ServerOptions& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return InvalidArgument("tls: give both --tls-cert and --tls-key, or neither");
  }
  const ServerLimits& l = options.limits;
  if (l.default_page_rows > l.max_page_rows) {
    return InvalidArgument("limits.default_page_rows must not exceed limits.max_page_rows");
  }
  if (l.max_concurrent_queries == 0) return InvalidArgument("limits.max_concurrent_queries must be > 0");
  if (l.worker_threads == 0) return InvalidArgument("limits.worker_threads must be > 0");
  if (l.max_token_bytes == 0 || l.max_body_bytes == 0 || l.max_header_bytes == 0) {
    return InvalidArgument("limits: sizes must be > 0");
  }
  TB_ASSIGN_OR_RETURN(AddressSet proxies, AddressSet::Parse(options.trusted_proxies));
  (void)proxies;
  return Status::OK();
}

}  // namespace trailbook::server
