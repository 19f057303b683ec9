#include "server/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "base/timestamp.h"
#include "crypto/digest.h"
#include "json/json_writer.h"
#include "server/problem.h"

namespace trailbook::server {
namespace {

constexpr size_t kChunkedThreshold = 256 * 1024;
constexpr size_t kChunkBytes = 64 * 1024;
// Pending-connection queue of the listening socket (the kernel caps it at
// net.core.somaxconn). httplib listens with a backlog of 5: a burst of connects (a load
// balancer's pool, a client reconnecting 64 connections) overflows it, the kernel drops the
// handshake's last ACK, and those clients wait for a SYN-ACK retransmission (1 s, then 3 s)
// before their first request is even read.
constexpr int kListenBacklog = 1024;

bool IsGoodRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId(const httplib::Request& req) {
  std::string incoming = req.get_header_value("X-Request-Id");
  if (IsGoodRequestId(incoming)) return incoming;
  Result<std::string> uuid = crypto::RandomUuid();
  return uuid.ok() ? *uuid : std::string("unknown");
}

HttpRequest ToRequest(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [k, v] : req.params) out.query.emplace_back(k, v);
  for (const auto& [k, v] : req.headers) {
    // httplib adds these pseudo headers itself; they are not the client's.
    if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
    out.headers.emplace_back(k, v);
  }
  out.body = req.body;
  out.peer_address = req.remote_addr;
  return out;
}

}  // namespace

HttpServer::HttpServer(const ServerOptions& options, ApiHandler& handler)
    : options_(options), handler_(handler) {}

HttpServer::~HttpServer() {
  Shutdown();
  {
    std::lock_guard<std::mutex> lock(mu_);
    served_ = true;  // The owner has joined Serve (or never ran it).
  }
  served_cv_.notify_all();
  if (deadline_thread_.joinable()) deadline_thread_.join();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const ServerOptions& options,
                                                       ApiHandler& handler) {
  TB_RETURN_IF_ERROR(ValidateServerOptions(options));
  std::unique_ptr<HttpServer> server(new HttpServer(options, handler));
  if (!options.tls_cert_file.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                                    options.tls_key_file.c_str());
    if (!tls->is_valid()) {
      return InvalidArgument("tls: cannot load certificate '" + options.tls_cert_file +
                             "' and key '" + options.tls_key_file + "'");
    }
    server->server_ = std::move(tls);
    server->tls_ = true;
  } else {
    server->server_ = std::make_unique<httplib::Server>();
  }
  server->Install();
  return server;
}

void HttpServer::Install() {
  httplib::Server& s = *server_;
  const ServerLimits& l = options_.limits;
  s.set_payload_max_length(l.max_body_bytes);
  s.set_read_timeout(l.read_timeout);
  s.set_write_timeout(l.write_timeout);
  s.set_keep_alive_timeout(l.keep_alive_timeout.count());
  s.set_keep_alive_max_count(1000);
  s.set_tcp_nodelay(true);
  // Replaces httplib's default options (SO_REUSEPORT, which would let a second server bind
  // the same port silently) with SO_REUSEADDR, and remembers the listening socket so Bind
  // can widen its backlog.
  s.set_socket_options([this](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd_.store(sock);
  });
  size_t workers = l.worker_threads;
  // httplib takes ownership of the queue it is given (its API requires a raw pointer).
  s.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };

  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    auto start = std::chrono::steady_clock::now();
    HttpRequest request = ToRequest(req);
    request.request_id = NewRequestId(req);
    HttpResponse response = handler_.Handle(request);
    res.status = response.status;
    for (const auto& [k, v] : response.headers) res.set_header(k, v);
    size_t bytes = response.body.size();
    if (bytes > kChunkedThreshold) {
      auto body = std::make_shared<std::string>(std::move(response.body));
      res.set_chunked_content_provider(
          response.content_type, [body](size_t offset, httplib::DataSink& sink) {
            if (offset >= body->size()) {
              sink.done();
              return true;
            }
            size_t n = std::min(kChunkBytes, body->size() - offset);
            return sink.write(body->data() + offset, n);
          });
    } else {
      res.set_content(response.body, response.content_type.c_str());
    }
    if (!options_.access_log) return;
    json::JsonWriter w;
    w.BeginObject();
    w.Key("time");
    w.String(FormatTimestamp(SystemClock().NowMicros()));
    w.Key("request_id");
    w.String(request.request_id);
    w.Key("client");
    w.String(request.peer_address);
    w.Key("method");
    w.String(request.method);
    w.Key("path");
    w.String(request.path.substr(0, 512));
    w.Key("route");
    w.String(response.route);
    w.Key("status");
    w.Int(response.status);
    if (!response.denial.empty()) {
      w.Key("denial");
      w.String(response.denial);
    }
    if (!response.subject.empty()) {
      w.Key("sub");
      w.String(response.subject);
    }
    w.Key("bytes");
    w.UInt(bytes);
    w.Key("duration_ms");
    w.Double(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                 .count());
    w.EndObject();
    std::string line = std::move(w).Take();
    line.push_back('\n');
    std::lock_guard<std::mutex> lock(log_mu_);
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
  for (const char* pattern : {".*"}) {
    s.Get(pattern, handle);
    s.Post(pattern, handle);
    s.Put(pattern, handle);
    s.Delete(pattern, handle);
    s.Patch(pattern, handle);
    s.Options(pattern, handle);
  }
  // Errors httplib answers itself (413 body too large, 400 malformed request line, 414)
  // get a problem body too; responses from the handler already have one.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    HttpRequest request;
    request.path = req.path;
    std::string detail = res.status == 413 ? "request body too large" : "malformed request";
    HttpResponse problem = Problem(res.status, detail, request, res.status == 413 ? "body" : "");
    res.set_content(problem.body, problem.content_type.c_str());
  });
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                             std::exception_ptr) {
    HttpRequest request;
    request.path = req.path;
    HttpResponse problem = Problem(500, "internal error", request);
    res.status = 500;
    res.set_content(problem.body, problem.content_type.c_str());
  });
}

Result<uint16_t> HttpServer::Bind() {
  int port = 0;
  if (options_.port == 0) {
    port = server_->bind_to_any_port(options_.host);
  } else {
    port = server_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port <= 0) {
    return IOError("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  // listen() again on a listening socket only changes its backlog.
  int fd = listen_fd_.load();
  if (fd < 0 || ::listen(fd, kListenBacklog) != 0) {
    return IOError("cannot set the listen backlog on " + options_.host + ":" +
                   std::to_string(port) + ": " + std::strerror(fd < 0 ? EBADF : errno));
  }
  return static_cast<uint16_t>(port);
}

Status HttpServer::Serve() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutting_down_.load()) {  // Shut down before it started: nothing to serve.
      served_ = true;
      served_cv_.notify_all();
      return Status::OK();
    }
    serving_ = true;
  }
  bool ok = server_->listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(mu_);
    served_ = true;
  }
  served_cv_.notify_all();
  if (!ok && !shutting_down_.load()) return IOError("the HTTP server stopped unexpectedly");
  return Status::OK();
}

void HttpServer::Shutdown() {
  if (server_ == nullptr || shutting_down_.exchange(true)) return;
  handler_.set_ready(false);
  // httplib's stop() does nothing until its accept loop has marked itself running, so a
  // Shutdown racing a Serve that has just started would leave it serving forever: wait for
  // the loop first (Serve checks shutting_down_ under mu_, so `serving` cannot be missed).
  bool serving;
  {
    std::lock_guard<std::mutex> lock(mu_);
    serving = serving_ && !served_;
  }
  while (serving && !server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mu_);
    serving = !served_;
  }
  server_->stop();
  deadline_thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    if (!served_cv_.wait_for(lock, options_.shutdown_deadline, [this] { return served_; })) {
      handler_.CancelQueries();
    }
  });
}

}  // namespace trailbook::server
