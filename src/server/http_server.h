// File: server/http_server.h
//
// HttpServer: the HTTP/1.1 transport, on Boost.Beast and Boost.Asio (the only file that
// includes them, so the HTTP library can be replaced here). One event-loop thread per core
// (epoll, at most 4) accepts connections, reads and parses requests with Beast's parser
// (header and body limits: 431 and 413 before the handler), and writes responses. A
// request that cannot wait (ApiHandler::HandleInline: health, denials of cached tokens,
// key-lookup runs with a free query slot) is answered on the event loop; every other one
// is handed to a pool of `worker_threads` handler threads, because the handler may block
// (token verification with a key fetch, query admission, long queries) and a slow
// request must not stall other connections. An idle keep-alive connection holds no thread. The handler does
// not wait for audit durability (ApiHandler::HandlePending): the transport holds the
// finished response until the audit log reports its events durable and only then writes it
// (or the fail-closed 503 when they cannot be made durable).
//
// The transport applies the time limits against slow clients (a whole request must arrive
// within read_timeout, a response must be written within write_timeout, an idle keep-alive
// connection is closed after keep_alive_timeout), assigns the request id (echoed in
// X-Request-Id), sends large bodies chunked, serves TLS through OpenSSL when a certificate
// and key are given, writes one JSON access-log line per request to stderr (in batches, at
// least every 100 ms and at shutdown), and shuts down gracefully: stop accepting, close idle
// connections, let in-flight requests finish within the deadline, then cancel queries;
// responses waiting for audit durability are always written (or failed) before Serve returns.
//
//   TB_ASSIGN_OR_RETURN(auto server, HttpServer::Create(options, handler));
//   TB_ASSIGN_OR_RETURN(uint16_t port, server->Bind());
//   std::thread t([&] { (void)server->Serve(); });
//   ...; server->Shutdown(); t.join();
//
// Thread safety: Shutdown may be called from any thread (e.g. a signal watcher) while
// Serve runs; the other methods are called by the owner.
#pragma once

#include <cstdint>
#include <memory>

#include "base/status.h"
#include "server/api_handler.h"
#include "server/server_options.h"

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

  // Binds the listening socket (port 0 picks a free port; SO_REUSEADDR, never
  // SO_REUSEPORT, so a second server on the port fails here). Returns the bound port, or
  // kIOError naming the address.
  Result<uint16_t> Bind();

  // Serves until Shutdown; returns when every connection is closed, every handler has
  // finished and every response held for audit durability has been completed. REQUIRES: Bind succeeded. Returns at once when Shutdown came first.
  Status Serve();

  // Stops accepting, closes idle connections and marks the handler not ready; in-flight
  // requests get the shutdown deadline, after which running queries are cancelled. Returns
  // at once; Serve returns when the work is done. Idempotent.
  void Shutdown();

  bool tls() const;

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace trailbook::server
