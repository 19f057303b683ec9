#include "monitor/monitor_config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>

#include "base/timestamp.h"
#include "io/file.h"
#include "monitor/alert_rule.h"

namespace trailbook::monitor {
namespace {

std::string Line(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line < 0 ? "" : " (line " + std::to_string(mark.line + 1) + ")";
}

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  return base_dir + "/" + path;
}

class ConfigParser {
 public:
  ConfigParser(std::string source, std::string base_dir)
      : source_(std::move(source)), base_dir_(std::move(base_dir)) {}

  Result<MonitorConfig> Parse(const YAML::Node& root) {
    if (!root.IsMap()) return Error("", "must be a YAML mapping", root);
    static constexpr std::string_view kKnown[] = {
        "store",   "state_dir",   "watch",           "poll_interval", "schedule",
        "cron",    "lookback",    "runbooks",        "token_file",    "link",
        "deliver", "deliveries",  "max_attempts",    "ingest_threads", "auth",
        "snapshot_key", "audit_digest_key", "audit_digest_interval", "dedup_keys",
        "dedup_bucket", "dictionary_cache_mb", "max_keys_per_rule", "max_rows_per_rule", "max_counts_per_rule"};
    for (const auto& item : root) {
      std::string key = item.first.Scalar();
      if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
        return Error(key, "unknown field", item.first);
      }
    }
    MonitorConfig c;
    TB_ASSIGN_OR_RETURN(c.store, Path(root, "store", true));
    TB_ASSIGN_OR_RETURN(c.state_dir, Path(root, "state_dir", true));
    TB_ASSIGN_OR_RETURN(c.watch, PathList(root, "watch"));
    TB_ASSIGN_OR_RETURN(c.runbooks, PathList(root, "runbooks"));
    if (c.runbooks.empty()) return Error("runbooks", "at least one detection runbook is needed", root);
    TB_ASSIGN_OR_RETURN(c.token_file, Path(root, "token_file", true));
    TB_ASSIGN_OR_RETURN(c.snapshot_key, Path(root, "snapshot_key", false));
    TB_ASSIGN_OR_RETURN(c.audit_digest_key, Path(root, "audit_digest_key", false));
    TB_ASSIGN_OR_RETURN(int64_t digest_interval, Duration(root, "audit_digest_interval"));
    if (digest_interval > 0) c.audit_digest_interval_us = digest_interval;
    if (root["audit_digest_interval"] && c.audit_digest_key.empty()) {
      return Error("audit_digest_interval", "needs audit_digest_key (the key that signs digests)",
                   root["audit_digest_interval"]);
    }
    YAML::Node auth = root["auth"];
    if (!auth) return Error("auth", "missing (jwks and issuer that verify the service token)", root);
    if (!auth.IsMap()) return Error("auth", "must be a mapping", auth);
    for (const auto& item : auth) {
      static constexpr std::string_view kAuthKeys[] = {"jwks", "issuer", "audience",
                                                       "algorithms", "ca_file"};
      if (std::find(std::begin(kAuthKeys), std::end(kAuthKeys), item.first.Scalar()) ==
          std::end(kAuthKeys)) {
        return Error("auth." + item.first.Scalar(), "unknown field", item.first);
      }
    }
    TB_ASSIGN_OR_RETURN(c.auth.jwks, Scalar(auth, "jwks", true, "auth."));
    if (!c.auth.jwks.starts_with("https://")) c.auth.jwks = Resolve(base_dir_, c.auth.jwks);
    TB_ASSIGN_OR_RETURN(c.auth.issuer, Scalar(auth, "issuer", true, "auth."));
    TB_ASSIGN_OR_RETURN(std::string audience, Scalar(auth, "audience", false, "auth."));
    if (!audience.empty()) c.auth.audience = audience;
    TB_ASSIGN_OR_RETURN(c.auth.algorithms, NameList(auth, "algorithms"));
    TB_ASSIGN_OR_RETURN(std::string ca_file, Scalar(auth, "ca_file", false, "auth."));
    if (!ca_file.empty()) c.auth.ca_file = Resolve(base_dir_, ca_file);
    TB_ASSIGN_OR_RETURN(c.link_template, Scalar(root, "link", false));
    TB_ASSIGN_OR_RETURN(int64_t poll, Duration(root, "poll_interval"));
    if (poll > 0) c.poll_interval_us = poll;
    TB_ASSIGN_OR_RETURN(int64_t schedule, Duration(root, "schedule"));
    if (schedule > 0) c.detect_interval_us = schedule;
    TB_ASSIGN_OR_RETURN(int64_t lookback, Duration(root, "lookback"));
    if (lookback > 0) c.lookback_us = lookback;
    TB_ASSIGN_OR_RETURN(std::string cron, Scalar(root, "cron", false));
    if (!cron.empty()) {
      if (root["schedule"]) return Error("cron", "set schedule or cron, not both", root["cron"]);
      Result<CronSchedule> parsed = CronSchedule::Parse(cron);
      if (!parsed.ok()) return Error("cron", parsed.status().message(), root["cron"]);
      c.cron = std::move(parsed).value();
    }
    TB_ASSIGN_OR_RETURN(std::string attempts, Scalar(root, "max_attempts", false));
    if (!attempts.empty()) {
      TB_ASSIGN_OR_RETURN(c.max_attempts, Count(attempts, "max_attempts", 1, 100));
    }
    TB_ASSIGN_OR_RETURN(std::string threads, Scalar(root, "ingest_threads", false));
    if (!threads.empty()) {
      TB_ASSIGN_OR_RETURN(c.ingest_threads, Count(threads, "ingest_threads", 1, 256));
    }
    TB_ASSIGN_OR_RETURN(std::string dedup_keys, Scalar(root, "dedup_keys", false));
    if (!dedup_keys.empty()) {
      TB_ASSIGN_OR_RETURN(c.dedup_keys, Count(dedup_keys, "dedup_keys", 1000, 1'000'000'000));
    }
    TB_ASSIGN_OR_RETURN(int64_t dedup_bucket, Duration(root, "dedup_bucket"));
    if (dedup_bucket > 0) {
      if (kMicrosPerDay % dedup_bucket != 0) {
        return Error("dedup_bucket", "must divide a day (e.g. 1m, 1h)",
                     root["dedup_bucket"]);
      }
      c.dedup_bucket_us = dedup_bucket;
    }
    TB_ASSIGN_OR_RETURN(std::string dictionary_mb, Scalar(root, "dictionary_cache_mb", false));
    if (!dictionary_mb.empty()) {
      TB_ASSIGN_OR_RETURN(c.dictionary_cache_mb,
                          Count(dictionary_mb, "dictionary_cache_mb", 1, 65536));
    }
    TB_ASSIGN_OR_RETURN(std::string max_keys, Scalar(root, "max_keys_per_rule", false));
    if (!max_keys.empty()) {
      TB_ASSIGN_OR_RETURN(c.max_keys_per_rule,
                          Count(max_keys, "max_keys_per_rule", 1, 100'000'000));
    }
    TB_ASSIGN_OR_RETURN(std::string max_rows, Scalar(root, "max_rows_per_rule", false));
    if (!max_rows.empty()) {
      TB_ASSIGN_OR_RETURN(c.max_rows_per_rule,
                          Count(max_rows, "max_rows_per_rule", 1, 1'000'000'000));
    }
    TB_ASSIGN_OR_RETURN(std::string max_counts, Scalar(root, "max_counts_per_rule", false));
    if (!max_counts.empty()) {
      TB_ASSIGN_OR_RETURN(c.max_counts_per_rule,
                          Count(max_counts, "max_counts_per_rule", 1, 1'000'000'000));
    }
    TB_ASSIGN_OR_RETURN(c.default_deliver, NameList(root, "deliver"));
    YAML::Node deliveries = root["deliveries"];
    if (deliveries) {
      if (!deliveries.IsMap()) return Error("deliveries", "must be a mapping of names", deliveries);
      for (const auto& item : deliveries) {
        TB_ASSIGN_OR_RETURN(DeliveryConfig d, Delivery(item.first.Scalar(), item.second));
        c.deliveries.push_back(std::move(d));
      }
    }
    if (c.deliveries.empty()) {
      DeliveryConfig out;
      out.name = "stdout";
      c.deliveries.push_back(out);
    }
    if (c.default_deliver.empty()) c.default_deliver.push_back(c.deliveries.front().name);
    for (const std::string& name : c.default_deliver) {
      bool known = std::any_of(c.deliveries.begin(), c.deliveries.end(),
                               [&](const DeliveryConfig& d) { return d.name == name; });
      if (!known) return Error("deliver", "unknown delivery '" + name + "'", root["deliver"]);
    }
    return c;
  }

 private:
  Status Error(std::string_view field, std::string_view what, const YAML::Node& node) const {
    std::string msg = source_ + ": ";
    if (!field.empty()) msg += std::string(field) + ": ";
    msg += what;
    msg += Line(node);
    return InvalidArgument(std::move(msg));
  }

  Result<std::string> Scalar(const YAML::Node& parent, const char* key, bool required,
                             std::string_view prefix = "") const {
    YAML::Node node = parent[key];
    std::string field = std::string(prefix) + key;
    if (!node) {
      if (required) return Error(field, "missing", parent);
      return std::string();
    }
    if (!node.IsScalar() || node.Scalar().empty()) return Error(field, "must be a non-empty scalar", node);
    return node.Scalar();
  }

  Result<std::string> Path(const YAML::Node& parent, const char* key, bool required) const {
    TB_ASSIGN_OR_RETURN(std::string p, Scalar(parent, key, required));
    return Resolve(base_dir_, p);
  }

  Result<std::vector<std::string>> NameList(const YAML::Node& parent, const char* key) const {
    std::vector<std::string> out;
    YAML::Node node = parent[key];
    if (!node) return out;
    if (node.IsScalar()) {
      out.push_back(node.Scalar());
      return out;
    }
    if (!node.IsSequence()) return Error(key, "must be a list", node);
    for (const YAML::Node& item : node) {
      if (!item.IsScalar() || item.Scalar().empty()) return Error(key, "items must be names", item);
      out.push_back(item.Scalar());
    }
    return out;
  }

  Result<std::vector<std::string>> PathList(const YAML::Node& parent, const char* key) const {
    TB_ASSIGN_OR_RETURN(std::vector<std::string> out, NameList(parent, key));
    for (std::string& p : out) p = Resolve(base_dir_, p);
    return out;
  }

  Result<int64_t> Duration(const YAML::Node& parent, const char* key,
                           std::string_view prefix = "") const {
    TB_ASSIGN_OR_RETURN(std::string text, Scalar(parent, key, false, prefix));
    if (text.empty()) return int64_t{0};
    Result<int64_t> d = ParseDurationField(text, std::string(prefix) + key);
    if (!d.ok()) return Error("", d.status().message(), parent[key]);
    if (*d == 0) return Error(std::string(prefix) + key, "must be > 0", parent[key]);
    return d;
  }

  Result<uint32_t> Count(const std::string& text, std::string_view field, uint32_t lo,
                         uint32_t hi) const {
    uint32_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || ptr != text.data() + text.size() || n < lo || n > hi) {
      return InvalidArgument(source_ + ": " + std::string(field) + ": must be an integer in [" +
                             std::to_string(lo) + ", " + std::to_string(hi) + "], got '" + text +
                             "'");
    }
    return n;
  }

  Result<DeliveryConfig> Delivery(const std::string& name, const YAML::Node& node) const {
    const std::string prefix = "deliveries." + name + ".";
    if (!node.IsMap()) return Error("deliveries." + name, "must be a mapping", node);
    DeliveryConfig d;
    d.name = name;
    TB_ASSIGN_OR_RETURN(std::string type, Scalar(node, "type", true, prefix));
    if (type == "stdout") {
      d.type = DeliveryType::kStdout;
    } else if (type == "file") {
      d.type = DeliveryType::kFile;
      TB_ASSIGN_OR_RETURN(d.path, Scalar(node, "path", true, prefix));
      d.path = Resolve(base_dir_, d.path);
    } else if (type == "webhook" || type == "slack") {
      d.type = DeliveryType::kWebhook;
      d.webhook.format = type == "slack" ? WebhookFormat::kSlack : WebhookFormat::kJson;
      TB_ASSIGN_OR_RETURN(d.webhook.url, Scalar(node, "url", true, prefix));
      TB_ASSIGN_OR_RETURN(std::string secret_file, Scalar(node, "secret_file", true, prefix));
      secret_file = Resolve(base_dir_, secret_file);
      Result<uint32_t> mode = io::FileMode(secret_file);
      if (!mode.ok()) return mode.status().WithContext(source_ + ": " + prefix + "secret_file");
      if ((*mode & 077) != 0) {
        return PermissionDenied(source_ + ": " + prefix + "secret_file: " + secret_file +
                                " must not be readable by group or others (chmod 600)");
      }
      TB_ASSIGN_OR_RETURN(std::string secret, io::ReadFile(secret_file, 4096));
      while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
      if (secret.size() < 16) {
        return Error(prefix + "secret_file", "secret must be at least 16 bytes", node);
      }
      d.webhook.secret = std::move(secret);
      TB_ASSIGN_OR_RETURN(int64_t timeout, Duration(node, "timeout", prefix));
      if (timeout > 0) d.webhook.timeout_ms = timeout / 1000;
      TB_ASSIGN_OR_RETURN(std::string ca, Scalar(node, "ca_file", false, prefix));
      d.webhook.ca_file = Resolve(base_dir_, ca);
      Result<std::unique_ptr<WebhookSink>> check = WebhookSink::Create(name, d.webhook);
      if (!check.ok()) return Error("", check.status().message(), node);
    } else {
      return Error(prefix + "type", "must be stdout, file, webhook or slack, got '" + type + "'",
                   node);
    }
    return d;
  }

  std::string source_;
  std::string base_dir_;
};

}  // namespace

Result<MonitorConfig> ParseMonitorConfig(std::string_view yaml_text, std::string_view source,
                                         const std::string& base_dir) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return ConfigParser(std::string(source), base_dir).Parse(root);
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string(source) + ": bad YAML: " + e.what());
  }
}

Result<MonitorConfig> LoadMonitorConfig(const std::string& path) {
  TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path, size_t{1} << 20));
  size_t slash = path.rfind('/');
  std::string base_dir = slash == std::string::npos ? "" : path.substr(0, slash);
  return ParseMonitorConfig(text, path, base_dir);
}

}  // namespace trailbook::monitor
