// File: server/http_server.h
//
// HttpServer: the cpp-httplib adapter. It owns the listening socket and the worker pool,
// applies the transport limits (body size, read/write/keep-alive timeouts against slow
// clients, worker count), turns each httplib request into an HttpRequest for the
// ApiHandler, assigns the request id (echoed in X-Request-Id), sends large bodies chunked,
// writes one JSON access-log line per request to stderr, and shuts down gracefully: stop
// accepting, let in-flight requests finish within the deadline, then cancel queries.
// It is the only file that includes httplib.h, so the HTTP library can be replaced here.
//
//   TB_ASSIGN_OR_RETURN(auto server, HttpServer::Create(options, handler));
//   TB_ASSIGN_OR_RETURN(uint16_t port, server->Bind());
//   std::thread t([&] { (void)server->Serve(); });
//   ...; server->Shutdown(); t.join();
//
// Thread safety: Shutdown may be called from any thread (e.g. a signal watcher) while
// Serve runs; the other methods are called by the owner.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "base/status.h"
#include "server/api_handler.h"
#include "server/server_options.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace trailbook::server {

class HttpServer {
 public:
  // Builds the server; with TLS files given, loads them (kInvalidArgument when they do not
  // load). `handler` must outlive the server.
  static Result<std::unique_ptr<HttpServer>> Create(const ServerOptions& options,
                                                    ApiHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket (port 0 picks a free port). Returns the bound port, or
  // kIOError naming the address.
  Result<uint16_t> Bind();

  // Serves until Shutdown; returns when every worker has finished. REQUIRES: Bind succeeded.
  Status Serve();

  // Stops accepting and marks the handler not ready; in-flight requests get the shutdown
  // deadline, after which running queries are cancelled. Returns at once; Serve returns
  // when the workers are done. Idempotent.
  void Shutdown();

  bool tls() const { return tls_; }

 private:
  HttpServer(const ServerOptions& options, ApiHandler& handler);
  void Install();

  ServerOptions options_;
  ApiHandler& handler_;
  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  std::atomic<bool> shutting_down_{false};
  std::mutex mu_;
  std::condition_variable served_cv_;
  bool served_ = false;   // Guarded by mu_.
  bool serving_ = false;  // Serve has started httplib's accept loop. Guarded by mu_.
  std::thread deadline_thread_;
  std::mutex log_mu_;  // Serialises access-log lines.
  // The listening socket, set by httplib's socket-options callback during Bind (-1 before).
  std::atomic<int> listen_fd_{-1};
};

}  // namespace trailbook::server
