#include "monitor/alert_sink.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include <charconv>
#include <mutex>

#include "crypto/digest.h"
#include "io/file.h"
#include "json/json_writer.h"

namespace trailbook::monitor {
namespace {

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

// Returns the host of an http(s) URL ("" when malformed).
std::string_view UrlHost(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return {};  // no credentials in URLs
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(0, close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

size_t DiscardBody(char*, size_t size, size_t nmemb, void*) { return size * nmemb; }

void GlobalCurlInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Status StreamSink::Deliver(std::string_view delivery_id, std::string_view alert_json) {
  (void)delivery_id;  // The alert JSON carries the id; stream readers dedupe on alert_id.
  std::string line(alert_json);
  line += '\n';
  return write_(line).WithContext("delivering to " + name_);
}

FileSink::FileSink(std::string name, std::unique_ptr<io::AppendFile> file,
                   std::set<std::string> ids)
    : name_(std::move(name)), file_(std::move(file)), ids_(std::move(ids)) {}

FileSink::~FileSink() = default;

Result<std::unique_ptr<FileSink>> FileSink::Open(std::string name, const std::string& path) {
  std::set<std::string> ids;
  uint64_t valid = 0;
  if (io::Exists(path)) {
    TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path));
    simdjson::dom::parser parser;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) break;  // torn tail: cut below
      std::string_view line(text.data() + pos, nl - pos);
      simdjson::dom::element doc;
      std::string_view id;
      if (parser.parse(line.data(), line.size()).get(doc) == simdjson::SUCCESS &&
          doc["delivery_id"].get(id) == simdjson::SUCCESS) {
        ids.emplace(id);
      }
      pos = nl + 1;
      valid = pos;
    }
  }
  TB_ASSIGN_OR_RETURN(std::unique_ptr<io::AppendFile> file, io::AppendFile::Open(path, 0600));
  if (file->size() != valid) TB_RETURN_IF_ERROR(file->Truncate(valid));
  return std::unique_ptr<FileSink>(new FileSink(std::move(name), std::move(file), std::move(ids)));
}

Status FileSink::Deliver(std::string_view delivery_id, std::string_view alert_json) {
  if (ids_.count(std::string(delivery_id)) > 0) return Status::OK();
  std::string line = "{\"delivery_id\":";
  json::AppendQuoted(&line, delivery_id);
  line += ",\"alert\":";
  line += alert_json;
  line += "}\n";
  TB_RETURN_IF_ERROR(file_->Append(line).WithContext("delivering to " + name_));
  TB_RETURN_IF_ERROR(file_->Sync().WithContext("delivering to " + name_));
  ids_.emplace(delivery_id);
  return Status::OK();
}

Result<std::unique_ptr<WebhookSink>> WebhookSink::Create(std::string name, WebhookOptions options,
                                                         const Clock& clock) {
  const std::string& url = options.url;
  std::string_view host = UrlHost(url);
  if (host.empty()) {
    return InvalidArgument("delivery " + name + ": bad webhook url '" + url + "'");
  }
  if (url.rfind("http://", 0) == 0) {
    if (!IsLoopbackHost(host)) {
      return InvalidArgument("delivery " + name +
                             ": webhook url must be https:// (http:// only to loopback), got '" +
                             url + "'");
    }
  } else if (url.rfind("https://", 0) != 0) {
    return InvalidArgument("delivery " + name + ": webhook url must be https://, got '" + url +
                           "'");
  }
  if (options.secret.empty()) {
    return InvalidArgument("delivery " + name + ": webhook needs a signing secret");
  }
  GlobalCurlInit();
  return std::unique_ptr<WebhookSink>(new WebhookSink(std::move(name), std::move(options), clock));
}

Status WebhookSink::Deliver(std::string_view delivery_id, std::string_view alert_json) {
  std::string body;
  if (options_.format == WebhookFormat::kSlack) {
    TB_ASSIGN_OR_RETURN(body, SlackPayload(alert_json));
  } else {
    body = std::string(alert_json);
  }
  const int64_t now_s = clock_.NowMicros() / 1'000'000;
  std::string signature = "X-Trailbook-Signature: " + SignWebhook(options_.secret, now_s, body);
  std::string id_header = "X-Trailbook-Delivery: " + std::string(delivery_id);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Internal("curl_easy_init failed");
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, signature.c_str());
  headers = curl_slist_append(headers, id_header.c_str());
  headers = curl_slist_append(headers, "User-Agent: trailbook-monitor/0.1");
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, DiscardBody);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  CURLcode rc = curl_easy_perform(curl);
  long http_status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  const std::string where = "delivering to " + name_ + " (" + options_.url + "): ";
  if (rc != CURLE_OK) {
    return IOError(where + (error[0] != '\0' ? std::string(error) : curl_easy_strerror(rc)));
  }
  if (http_status >= 200 && http_status < 300) return Status::OK();
  std::string code = "HTTP " + std::to_string(http_status);
  if (http_status == 408 || http_status == 429 || http_status >= 500) return IOError(where + code);
  if (http_status == 401 || http_status == 403) return PermissionDenied(where + code);
  return InvalidArgument(where + code);
}

std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  std::string message = std::to_string(unix_seconds);
  message += '.';
  message += body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len);
  return "t=" + std::to_string(unix_seconds) +
         ",v1=" + crypto::ToHex(std::span<const uint8_t>(mac, mac_len));
}

Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                              std::string_view body, int64_t now_seconds,
                              int64_t tolerance_seconds) {
  std::string_view t_text, v1;
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    std::string_view part = header.substr(pos, comma == std::string_view::npos ? std::string_view::npos
                                                                               : comma - pos);
    if (part.rfind("t=", 0) == 0) t_text = part.substr(2);
    if (part.rfind("v1=", 0) == 0) v1 = part.substr(3);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  int64_t t = 0;
  auto [ptr, ec] = std::from_chars(t_text.data(), t_text.data() + t_text.size(), t);
  if (t_text.empty() || v1.empty() || ec != std::errc() || ptr != t_text.data() + t_text.size()) {
    return Unauthenticated("webhook signature: malformed header");
  }
  if (t < now_seconds - tolerance_seconds || t > now_seconds + tolerance_seconds) {
    return Unauthenticated("webhook signature: stale timestamp");
  }
  std::string expected = SignWebhook(secret, t, body);
  if (!crypto::ConstantTimeEquals(expected.substr(expected.find(",v1=") + 4), v1)) {
    return Unauthenticated("webhook signature: bad signature");
  }
  return Status::OK();
}

Result<std::string> SlackPayload(std::string_view alert_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(alert_json.data(), alert_json.size()).get(doc) != simdjson::SUCCESS) {
    return InvalidArgument("slack payload: alert is not JSON");
  }
  std::string_view id, status, runbook, version, severity, key, link, window_start, window_end;
  if (doc["alert_id"].get(id) || doc["status"].get(status) || doc["runbook"]["id"].get(runbook) ||
      doc["runbook"]["version"].get(version) || doc["severity"].get(severity) ||
      doc["dedup_key"].get(key) || doc["link"].get(link) ||
      doc["window_start"].get(window_start) || doc["window_end"].get(window_end)) {
    return InvalidArgument("slack payload: alert lacks a required field");
  }
  uint64_t rows = 0;
  if (status != "resolved" && doc["row_count"].get(rows) != simdjson::SUCCESS) {
    return InvalidArgument("slack payload: alert lacks row_count");
  }
  std::string title = (status == "resolved" ? "Resolved: " : "[" + std::string(severity) + "] ") +
                      std::string(runbook) + " (" + std::string(key) + ")";
  std::string detail = "runbook " + std::string(runbook) + " v" + std::string(version) +
                       ", window " + std::string(window_start) + " .. " + std::string(window_end);
  if (status != "resolved") detail += ", " + std::to_string(rows) + " rows";
  detail += ", alert " + std::string(id);
  if (!link.empty()) detail += "\n<" + std::string(link) + "|Open in trailbook>";
  json::JsonWriter w;
  w.BeginObject();
  w.Key("text");
  w.String(title);
  w.Key("blocks");
  w.BeginArray();
  w.BeginObject();
  w.Key("type");
  w.String("section");
  w.Key("text");
  w.BeginObject();
  w.Key("type");
  w.String("mrkdwn");
  w.Key("text");
  w.String("*" + title + "*\n" + detail);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace trailbook::monitor
