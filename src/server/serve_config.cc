#include "server/serve_config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>

namespace trailbook::server {
namespace {

std::string Where(std::string_view source, const YAML::Node& node, std::string_view key) {
  return std::string(source) + ":" + std::to_string(node.Mark().line + 1) + ": " + std::string(key);
}

Result<std::string> Text(const YAML::Node& node, std::string_view source, std::string_view key) {
  if (!node.IsScalar()) return InvalidArgument(Where(source, node, key) + ": expected text");
  return node.Scalar();
}

// A scalar or a list of scalars.
Result<std::vector<std::string>> TextList(const YAML::Node& node, std::string_view source,
                                          std::string_view key) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) return InvalidArgument(Where(source, node, key) + ": expected a list");
  for (const YAML::Node& item : node) {
    TB_ASSIGN_OR_RETURN(std::string text, Text(item, source, key));
    out.push_back(std::move(text));
  }
  return out;
}

Result<IssuerSettings> ReadIssuer(const YAML::Node& node, std::string_view source) {
  if (!node.IsMap()) return InvalidArgument(Where(source, node, "issuers[]") + ": expected a mapping");
  IssuerSettings out;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    std::string name = "issuers[]." + key;
    if (key == "issuer") {
      TB_ASSIGN_OR_RETURN(out.issuer, Text(entry.second, source, name));
    } else if (key == "jwks") {
      TB_ASSIGN_OR_RETURN(out.jwks, Text(entry.second, source, name));
    } else if (key == "audiences" || key == "audience") {
      TB_ASSIGN_OR_RETURN(out.audiences, TextList(entry.second, source, name));
    } else if (key == "algorithms") {
      TB_ASSIGN_OR_RETURN(out.algorithms, TextList(entry.second, source, name));
    } else if (key == "typ") {
      TB_ASSIGN_OR_RETURN(out.typ, TextList(entry.second, source, name));
    } else {
      return InvalidArgument(Where(source, entry.first, name) +
                             ": unknown key (issuer, jwks, audiences, algorithms, typ)");
    }
  }
  if (out.issuer.empty() || out.jwks.empty()) {
    return InvalidArgument(Where(source, node, "issuers[]") + ": needs issuer and jwks");
  }
  return out;
}

}  // namespace

Status ApplyServeYaml(std::string_view yaml_text, std::string_view source, ServeConfig* config) {
  TB_RETURN_IF_ERROR(ApplyServerYaml(yaml_text, source, &config->server));
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root.IsDefined() || root.IsNull()) return Status::OK();
    if (!root.IsMap()) return InvalidArgument(std::string(source) + ": expected a mapping at the top");
    IssuerSettings shorthand;
    bool have_shorthand = false;
    for (const auto& entry : root) {
      const std::string key = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      if (key == "server" || key == "monitor") {
        // server: ApplyServerYaml above. monitor: read by `trailbook monitor`.
      } else if (key == "store") {
        TB_ASSIGN_OR_RETURN(config->store_dir, Text(value, source, key));
      } else if (key == "runbooks") {
        TB_ASSIGN_OR_RETURN(config->runbooks_dir, Text(value, source, key));
      } else if (key == "jwks") {
        TB_ASSIGN_OR_RETURN(shorthand.jwks, Text(value, source, key));
        have_shorthand = true;
      } else if (key == "issuer") {
        TB_ASSIGN_OR_RETURN(shorthand.issuer, Text(value, source, key));
        have_shorthand = true;
      } else if (key == "audience" || key == "audiences") {
        TB_ASSIGN_OR_RETURN(shorthand.audiences, TextList(value, source, key));
      } else if (key == "algorithms") {
        TB_ASSIGN_OR_RETURN(shorthand.algorithms, TextList(value, source, key));
      } else if (key == "typ") {
        TB_ASSIGN_OR_RETURN(shorthand.typ, TextList(value, source, key));
      } else if (key == "issuers") {
        if (!value.IsSequence()) return InvalidArgument(Where(source, value, key) + ": expected a list");
        for (const YAML::Node& item : value) {
          TB_ASSIGN_OR_RETURN(IssuerSettings issuer, ReadIssuer(item, source));
          config->issuers.push_back(std::move(issuer));
        }
      } else if (key == "jwks_ca_file") {
        TB_ASSIGN_OR_RETURN(config->jwks_ca_file, Text(value, source, key));
      } else if (key == "snapshot_key") {
        TB_ASSIGN_OR_RETURN(config->snapshot_key_file, Text(value, source, key));
      } else if (key == "snapshot_jwks") {
        TB_ASSIGN_OR_RETURN(config->snapshot_jwks_file, Text(value, source, key));
      } else if (key == "audit_digest_key") {
        TB_ASSIGN_OR_RETURN(config->audit_digest_key_file, Text(value, source, key));
      } else if (key == "audit_digest_interval_s") {
        TB_ASSIGN_OR_RETURN(std::string text, Text(value, source, key));
        int64_t seconds = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (ec != std::errc() || ptr != text.data() + text.size() || seconds < 1 || seconds > 86400) {
          return InvalidArgument(Where(source, value, key) + ": expected 1..86400 seconds");
        }
        config->audit_digest_interval = std::chrono::seconds(seconds);
      } else if (key.starts_with("audit_fold_") || key == "audit_compact_segments") {
        TB_ASSIGN_OR_RETURN(std::string text, Text(value, source, key));
        Status applied = ApplyAuditFoldSetting(key, text, config);
        if (!applied.ok()) {
          return InvalidArgument(std::string(source) + ":" + std::to_string(value.Mark().line + 1) +
                                 ": " + applied.message());
        }
      } else {
        return InvalidArgument(Where(source, entry.first, key) + ": unknown key");
      }
    }
    if (have_shorthand) {
      if (shorthand.issuer.empty() || shorthand.jwks.empty()) {
        return InvalidArgument(std::string(source) + ": jwks and issuer go together");
      }
      config->issuers.insert(config->issuers.begin(), std::move(shorthand));
    }
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string(source) + ":" + std::to_string(e.mark.line + 1) +
                           ": malformed YAML: " + e.msg);
  }
  return Status::OK();
}

Status ApplyAuditFoldSetting(std::string_view key, std::string_view text, ServeConfig* config) {
  struct Setting {
    std::string_view key;
    int64_t min;
    int64_t max;
    std::string_view expected;
  };
  // The ranges keep a typo from disabling folding (0 bytes, 0 batches) or from keeping
  // events in the journal tail for days.
  static constexpr Setting kSettings[] = {
      {"audit_fold_interval_s", 0, 3600, "0..3600 seconds"},
      {"audit_fold_tail_bytes", 4096, int64_t{1} << 30, "4096..1073741824 bytes"},
      {"audit_fold_tail_batches", 1, 1000000, "1..1000000 batch records"},
      {"audit_fold_max_age_s", 0, 86400, "0..86400 seconds"},
      {"audit_compact_segments", 0, 1000000, "0 (never) or 2..1000000 segments"},
  };
  const Setting* setting = nullptr;
  for (const Setting& s : kSettings) {
    if (s.key == key) setting = &s;
  }
  if (setting == nullptr) {
    return InvalidArgument(std::string(key) +
                           ": unknown key (audit_fold_interval_s, audit_fold_tail_bytes, "
                           "audit_fold_tail_batches, audit_fold_max_age_s, audit_compact_segments)");
  }
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || n < setting->min ||
      n > setting->max || (key == "audit_compact_segments" && n == 1)) {
    return InvalidArgument(std::string(key) + ": expected " + std::string(setting->expected) +
                           ", got '" + std::string(text) + "'");
  }
  if (key == "audit_fold_interval_s") {
    config->audit_fold_interval = std::chrono::seconds(n);
  } else if (key == "audit_fold_tail_bytes") {
    config->audit_fold.tail_bytes = static_cast<uint64_t>(n);
  } else if (key == "audit_fold_tail_batches") {
    config->audit_fold.tail_batches = static_cast<uint64_t>(n);
  } else if (key == "audit_fold_max_age_s") {
    config->audit_fold.max_age = std::chrono::seconds(n);
  } else {
    config->audit_fold.compact_segments = static_cast<size_t>(n);
  }
  return Status::OK();
}

Status ApplyAuditFoldAssignment(std::string_view assignment, ServeConfig* config) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return InvalidArgument("--audit-fold '" + std::string(assignment) + "': expected key=value");
  }
  return ApplyAuditFoldSetting(assignment.substr(0, eq), assignment.substr(eq + 1), config)
      .WithContext("--audit-fold");
}

Status ApplyServerLimit(std::string_view assignment, ServerOptions* options) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return InvalidArgument("limit '" + std::string(assignment) + "': expected name=value");
  }
  std::string name(assignment.substr(0, eq));
  std::string value(assignment.substr(eq + 1));
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) {
      return InvalidArgument("limit '" + name + "': unknown limit");
    }
  }
  for (char c : value) {
    if (c < '0' || c > '9') {
      return InvalidArgument("limit " + name + ": expected a non-negative integer, got '" + value + "'");
    }
  }
  std::string yaml = "server:\n  limits:\n    " + name + ": " + value + "\n";
  return ApplyServerYaml(yaml, "--limit", options);
}

Status ValidateServeConfig(const ServeConfig& config) {
  if (config.issuers.empty()) {
    return InvalidArgument(
        "serving needs a token issuer and its keys: pass --jwks FILE|URL and --issuer ISS, set "
        "TRAILBOOK_JWKS and TRAILBOOK_ISSUER, or give jwks/issuer (or issuers:) in --config");
  }
  for (const IssuerSettings& issuer : config.issuers) {
    if (issuer.issuer.empty() || issuer.jwks.empty()) {
      return InvalidArgument("issuer '" + issuer.issuer + "': needs both an issuer and a jwks");
    }
  }
  if (config.store_dir.empty()) return InvalidArgument("store: empty path");
  return ValidateServerOptions(config.server);
}

}  // namespace trailbook::server
