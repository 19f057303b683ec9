#include "server/http_server.h"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "base/thread_annotations.h"
#include "base/timestamp.h"
#include "crypto/digest.h"
#include "json/json_writer.h"
#include "server/handler_pool.h"
#include "server/problem.h"
#include "server/request_target.h"

namespace trailbook::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using ErrorCode = beast::error_code;

// Bodies above this size are sent with chunked transfer encoding (HTTP/1.1 clients).
constexpr size_t kChunkedThreshold = 256 * 1024;
// Pending-connection queue of the listening socket (the kernel caps it at
// net.core.somaxconn). A short queue overflows on a burst of connects (a load balancer's
// pool, a client reconnecting 64 connections): the kernel drops the handshake's last ACK and
// those clients wait for a SYN-ACK retransmission (1 s, then 3 s) before their first request.
constexpr int kListenBacklog = 1024;
// Open connections beyond this are closed as soon as they are accepted (an idle connection
// costs no thread, but it costs a descriptor and its buffers).
constexpr size_t kMaxConnections = 10000;
// Beast's header limit counts the request line and the CRLFs too; the handler applies the
// configured max_header_bytes to names and values exactly (431), this only bounds memory.
constexpr size_t kRequestLineAllowance = 16 * 1024;
// After an error response to a request whose body was not read (413, 431, 400), the rest of
// the upload is read and discarded for this long (at most kLingerBytes) before closing, so
// the close does not reset the connection and destroy the response before the client reads it.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr size_t kLingerBytes = size_t{1} << 20;
constexpr size_t kFirstReadBytes = 4096;
// How long a TLS close waits for the client's close_notify after sending its own.
constexpr std::chrono::seconds kTlsShutdownTimeout{1};
// Event-loop threads: one per core (at most kMaxIoThreads), since they also answer the
// requests that never wait (ApiHandler::HandleInline: health, denials, key-lookup runs);
// everything else runs on the handler pool.
constexpr unsigned kMaxIoThreads = 4;

unsigned IoThreadCount() {
  unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(cores, 1u, kMaxIoThreads);
}

std::string_view View(beast::string_view v) { return {v.data(), v.size()}; }
std::string ToString(beast::string_view v) { return {v.data(), v.size()}; }

bool IsGoodRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Request ids for requests that bring none: UUID-shaped (RFC 9562 version 8, "custom"),
// a random 64-bit prefix drawn once per server and a 64-bit counter. They must be unique,
// not secret (clients may choose their own), and drawing 16 bytes from the OpenSSL DRBG per
// request cost ~3 % of the server's CPU on a cheap route.
class RequestIds {
 public:
  RequestIds() {
    std::string seed;
    if (crypto::RandomBytes(8, &seed).ok()) {
      for (char c : seed) prefix_ = (prefix_ << 8) | static_cast<uint8_t>(c);
    } else {
      prefix_ = static_cast<uint64_t>(
          std::chrono::system_clock::now().time_since_epoch().count());
    }
  }

  // Returns `incoming` when it is a usable id (1-64 of [A-Za-z0-9._-]), else a fresh id.
  std::string Next(std::string_view incoming) {
    if (IsGoodRequestId(incoming)) return std::string(incoming);
    uint64_t high = (prefix_ & ~uint64_t{0xF000}) | 0x8000;  // Version 8.
    uint64_t low = (counter_.fetch_add(1, std::memory_order_relaxed) & (~uint64_t{0} >> 2)) |
                   (uint64_t{1} << 63);  // Variant 10.
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(36, '-');
    size_t out = 0;
    for (int i = 0; i < 32; ++i) {
      if (out == 8 || out == 13 || out == 18 || out == 23) ++out;
      uint64_t word = i < 16 ? high : low;
      int shift = 60 - 4 * (i % 16);
      id[out++] = kHex[(word >> shift) & 0xF];
    }
    return id;
  }

 private:
  uint64_t prefix_ = 0;
  std::atomic<uint64_t> counter_{0};
};

// A header the handler set is sent only when it cannot split the response.
bool IsSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= ' ' || c == ':' || c == 0x7f) return false;
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

std::string PeerAddress(const tcp::socket& socket) {
  ErrorCode ec;
  tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  net::ip::address address = peer.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

// The access log: JSON lines gathered in a buffer and written to stderr in batches (one
// write per batch instead of one per request: stderr is unbuffered). A batch is written
// when the buffer passes kFlushBytes, by the flusher thread at least every kFlushInterval,
// and by Stop, so a clean shutdown loses no line. Thread-safe.
class AccessLog {
 public:
  static constexpr size_t kFlushBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kFlushInterval{100};

  ~AccessLog() { Stop(); }

  // Starts the flusher thread. REQUIRES: not running.
  void Start() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = false;
    }
    flusher_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "tb-access-log");
      std::unique_lock<std::mutex> lock(mu_);
      while (!stopping_) {
        stop_cv_.wait_for(lock, kFlushInterval, [this] { return stopping_; });
        lock.unlock();
        Flush();
        lock.lock();
      }
    });
  }

  // Stops the flusher and writes what is buffered. Idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    stop_cv_.notify_all();
    if (flusher_.joinable()) flusher_.join();
    Flush();
  }

  // Adds one line (with its newline).
  void Add(std::string_view line) {
    bool full;
    {
      std::lock_guard<std::mutex> lock(mu_);
      buffer_.append(line);
      full = buffer_.size() >= kFlushBytes;
    }
    if (full) Flush();
  }

  // Writes what is buffered. Batches leave in the order their lines were added.
  void Flush() {
    std::lock_guard<std::mutex> write_lock(write_mu_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (buffer_.empty()) return;
      writing_.swap(buffer_);
    }
    std::fwrite(writing_.data(), 1, writing_.size(), stderr);
    writing_.clear();
  }

 private:
  std::mutex write_mu_;  // Held while a batch is written, so batches keep their order.
  std::string writing_ TB_GUARDED_BY(write_mu_);
  std::mutex mu_;
  std::string buffer_ TB_GUARDED_BY(mu_);
  bool stopping_ TB_GUARDED_BY(mu_) = false;
  std::condition_variable stop_cv_;
  std::thread flusher_;
};

// The close of a connection that cannot continue: its handlers complete with errors.
bool IsQuietReadError(const ErrorCode& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == net::error::eof || ec == net::error::operation_aborted ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == beast::error::timeout || ec == net::error::bad_descriptor ||
         ec.category() != http::make_error_code(http::error::bad_method).category();
}

// A registered connection, so Shutdown can close the idle ones.
class Connection {
 public:
  virtual ~Connection() = default;
  // Closes the connection if it is waiting for a request; otherwise it closes after its
  // current response. Thread-safe (runs on the connection's event loop).
  virtual void CloseIfIdle() = 0;
};

// What the connections share; owned by HttpServer::Impl, which outlives them.
struct Transport {
  Transport(const ServerOptions& o, ApiHandler& h) : options(o), handler(h) {
    const unsigned n = IoThreadCount();
    for (unsigned i = 0; i < n; ++i) {
      loops.push_back(std::make_unique<net::io_context>(1));
      // Every loop but the acceptor's has no work until a connection arrives: this keeps
      // its thread in run() until Shutdown has closed the acceptor.
      if (i > 0) idle_guards.push_back(net::make_work_guard(*loops.back()));
    }
  }

  const ServerOptions options;
  ApiHandler& handler;
  std::atomic<bool> shutting_down{false};
  HandlerPool* pool = nullptr;  // Set while Serve runs, before any connection exists.

  std::mutex registry_mu;
  std::list<std::weak_ptr<Connection>> connections TB_GUARDED_BY(registry_mu);

  AccessLog access_log;
  RequestIds request_ids;

  // Chooses the event loop of a new connection (round robin).
  net::io_context& NextLoop() {
    return *loops[next_loop.fetch_add(1, std::memory_order_relaxed) % loops.size()];
  }

  std::atomic<size_t> next_loop{0};
  // One event loop per io thread, each run by that thread alone, so a connection's
  // handlers (all on its loop) never run concurrently and need no strand, and the loops
  // never hand events to each other. Loop 0 also runs the acceptor. Declared after all
  // but idle_guards: destroyed before the rest, so handlers they still hold (and the
  // connections they own) go away while the registry above is alive.
  std::vector<std::unique_ptr<net::io_context>> loops;
  // Work on loops[1..] until Shutdown closes the acceptor. After `loops`: released before
  // the loops are destroyed (when Serve never ran, Shutdown's release never ran either).
  std::vector<net::executor_work_guard<net::io_context::executor_type>> idle_guards;

  std::list<std::weak_ptr<Connection>>::iterator Register(std::weak_ptr<Connection> c) {
    std::lock_guard<std::mutex> lock(registry_mu);
    return connections.insert(connections.end(), std::move(c));
  }
  void Unregister(std::list<std::weak_ptr<Connection>>::iterator it) {
    std::lock_guard<std::mutex> lock(registry_mu);
    connections.erase(it);
  }
  size_t connection_count() {
    std::lock_guard<std::mutex> lock(registry_mu);
    return connections.size();
  }

  void CloseIdleConnections() {
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard<std::mutex> lock(registry_mu);
      for (const auto& weak : connections) {
        if (auto c = weak.lock()) open.push_back(std::move(c));
      }
    }
    for (const auto& c : open) c->CloseIfIdle();
  }

  void LogAccess(const HttpRequest& request, int status, std::string_view route,
                 std::string_view denial, std::string_view subject, size_t bytes,
                 std::chrono::steady_clock::time_point start) {
    if (!options.access_log) return;
    json::JsonWriter w;
    w.BeginObject();
    w.Key("time");
    w.String(FormatTimestamp(SystemClock().NowMicros()));
    w.Key("request_id");
    w.String(request.request_id);
    w.Key("client");
    w.String(request.peer_address);
    w.Key("method");
    w.String(request.method.substr(0, 32));
    w.Key("path");
    w.String(request.path.substr(0, 512));
    w.Key("route");
    w.String(route);
    w.Key("status");
    w.Int(status);
    if (!denial.empty()) {
      w.Key("denial");
      w.String(denial);
    }
    if (!subject.empty()) {
      w.Key("sub");
      w.String(subject);
    }
    w.Key("bytes");
    w.UInt(bytes);
    w.Key("duration_ms");
    w.Double(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                 .count());
    w.EndObject();
    std::string line = std::move(w).Take();
    line.push_back('\n');
    access_log.Add(line);
  }
};

using Response = http::response<http::string_body>;
using WorkGuard = net::executor_work_guard<net::io_context::executor_type>;

// Builds the wire response for `r`. A HEAD response keeps the length but not the body.
Response ToWire(HttpResponse&& r, unsigned version, bool keep_alive, bool head) {
  Response res;
  res.version(version);
  // Beast throws for a status outside 100-999; the handler never makes one, but a bug
  // there must become a 500, not a terminated server.
  res.result(r.status >= 100 && r.status <= 999 ? static_cast<unsigned>(r.status) : 500u);
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) {
    if (IsSafeHeader(name, value)) res.insert(name, value);
  }
  res.keep_alive(keep_alive);
  if (head) {
    res.content_length(r.body.size());
  } else if (r.body.size() > kChunkedThreshold && version >= 11) {
    res.body() = std::move(r.body);
    res.chunked(true);
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  return res;
}

// One client connection: a state machine on its event loop. Reads a request (idle wait, then
// the header and body under the read deadline), answers it inline or hands it to the
// handler pool, writes the response under the write deadline, and loops while the
// connection is kept alive.
// `Stream` is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
template <class Stream>
class Session : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  // `loop` is the event loop `stream` was accepted on (its only thread runs the session).
  Session(Transport& transport, net::io_context& loop, Stream stream, std::string peer)
      : t_(transport), loop_(loop), stream_(std::move(stream)), peer_(std::move(peer)) {}
  ~Session() override {
    if (registered_) t_.Unregister(registration_);
  }

  // Registers the session and starts it on its event loop.
  void Start() {
    registration_ = t_.Register(this->weak_from_this());
    registered_ = true;
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(self->t_.options.limits.read_timeout);
        self->stream_.async_handshake(ssl::stream_base::server, [self](ErrorCode ec) {
          if (ec) return self->Close();
          self->ReadRequest();
        });
      } else {
        self->ReadRequest();
      }
    });
  }

  void CloseIfIdle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->state_ == State::kIdle) self->Close();
    });
  }

 private:
  enum class State {
    kIdle,      // Waiting for the first byte of a request.
    kReading,   // A request is arriving.
    kHandling,  // The handler (inline or on the pool) has the request.
    kWriting,   // The response is being written.
    kClosed,
  };

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void ReadRequest() {
    if (state_ == State::kClosed) return;
    if (t_.shutting_down.load()) return Close();
    const ServerLimits& limits = t_.options.limits;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(limits.max_header_bytes + kRequestLineAllowance));
    parser_->body_limit(static_cast<uint64_t>(limits.max_body_bytes));
    if (buffer_.size() > 0) {  // A pipelined request is already here.
      state_ = State::kReading;
      return ReadHeader();
    }
    state_ = State::kIdle;
    Lowest().expires_after(served_ == 0 ? limits.read_timeout : limits.keep_alive_timeout);
    stream_.async_read_some(
        buffer_.prepare(kFirstReadBytes),
        [self = this->shared_from_this()](ErrorCode ec, size_t n) {
          if (ec) return self->Close();
          self->buffer_.commit(n);
          if (self->state_ == State::kClosed) return;
          self->state_ = State::kReading;
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    // The whole request (header and body) must arrive within one read timeout.
    Lowest().expires_after(t_.options.limits.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](ErrorCode ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(ErrorCode ec) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    if (!parser_->is_done() && req.version() >= 11 &&
        beast::iequals(req[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, req.version());
      Lowest().expires_after(t_.options.limits.write_timeout);
      http::async_write(stream_, *continue_,
                        [self = this->shared_from_this()](ErrorCode wec, size_t) {
                          self->continue_.reset();
                          if (wec) return self->Close();
                          self->Lowest().expires_after(self->t_.options.limits.read_timeout);
                          self->ReadBody();
                        });
      return;
    }
    if (parser_->is_done()) return Dispatch();
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](ErrorCode ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->Dispatch();
                     });
  }

  void OnReadError(ErrorCode ec) {
    const ServerLimits& limits = t_.options.limits;
    if (ec == http::error::header_limit) {
      return SendError(431, "request headers exceed " + std::to_string(limits.max_header_bytes) +
                                " bytes", "");
    }
    if (ec == http::error::body_limit) {
      return SendError(413, "request body exceeds " + std::to_string(limits.max_body_bytes) +
                                " bytes", "body");
    }
    if (IsQuietReadError(ec)) return Close();
    SendError(400, "malformed request: " + ec.message(), "");
  }

  // Answers a request the transport refuses itself (never seen by the handler), then
  // closes the connection after discarding what the client still sends.
  void SendError(int status, const std::string& detail, std::string_view field) {
    auto start = std::chrono::steady_clock::now();
    HttpRequest request;
    request.peer_address = peer_;
    if (parser_.has_value() && parser_->is_header_done()) {
      const auto& req = parser_->get();
      request.method = ToString(req.method_string());
      request.path = ToString(req.target().substr(0, req.target().find('?')));
      request.request_id = t_.request_ids.Next(View(req["X-Request-Id"]));
    } else {
      request.request_id = t_.request_ids.Next("");
    }
    HttpResponse problem = Problem(status, detail, request, field);
    problem.headers.emplace_back("X-Request-Id", request.request_id);
    t_.LogAccess(request, status, "unmatched", "", "", problem.body.size(), start);
    t_.handler.RecordTransportRefusal(
        status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    linger_ = true;
    Write(ToWire(std::move(problem), 11, /*keep_alive=*/false, /*head=*/false));
  }

  void Dispatch() {
    auto start = std::chrono::steady_clock::now();
    auto req = parser_->release();
    parser_.reset();
    RequestTarget target;
    Status parsed = ParseRequestTarget(View(req.target()), &target);
    if (!parsed.ok()) return SendError(400, parsed.message(), "");
    state_ = State::kHandling;
    HttpRequest request;
    request.method = ToString(req.method_string());
    request.path = std::move(target.path);
    request.query = std::move(target.query);
    request.headers.reserve(static_cast<size_t>(std::distance(req.begin(), req.end())));
    for (const auto& field : req) {
      request.headers.emplace_back(ToString(field.name_string()), ToString(field.value()));
    }
    request.body = std::move(req.body());
    request.peer_address = peer_;
    request.request_id = t_.request_ids.Next(View(req["X-Request-Id"]));
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    const bool head = req.method() == http::verb::head;
    // The work guard keeps the event loop (and Serve) running while the handler does.
    auto work = net::make_work_guard(loop_);
    // A request that cannot wait is answered here, on the event loop, without the handoff
    // to a handler thread and back (ApiHandler::HandleInline decides; it has done nothing
    // observable when it declines).
    std::optional<HttpResponse> answered;
    uint64_t audit_ticket = 0;
    try {
      answered = t_.handler.HandleInline(request, &audit_ticket);
    } catch (const std::exception&) {
      answered = Problem(500, "internal error", request);
      audit_ticket = 0;
    }
    if (answered) {
      return Complete(std::move(request), std::move(*answered), audit_ticket, std::move(work),
                      version, keep_alive, head, start, /*on_loop=*/true);
    }
    bool queued = t_.pool->Submit([self = this->shared_from_this(), request = std::move(request),
                                   work, version, keep_alive, head, start]() mutable {
      self->Handle(std::move(request), std::move(work), version, keep_alive, head, start);
    });
    if (!queued) SendError(503, "the server is shutting down", "");
  }

  // Runs on a handler-pool thread.
  void Handle(HttpRequest request, WorkGuard work, unsigned version, bool keep_alive, bool head,
              std::chrono::steady_clock::time_point start) {
    HttpResponse response;
    uint64_t audit_ticket = 0;
    try {
      response = t_.handler.HandlePending(request, &audit_ticket);
    } catch (const std::exception&) {
      response = Problem(500, "internal error", request);
    }
    Complete(std::move(request), std::move(response), audit_ticket, std::move(work), version,
             keep_alive, head, start, /*on_loop=*/false);
  }

  // Sends the handler's response (`on_loop`: the caller runs on the connection's event loop,
  // else on a handler thread). A response that depends on audit events is held until they
  // are durable: the audit log calls back (on its sync thread) and the response is written
  // from the connection's event loop, or the fail-closed 503 instead when they cannot be made
  // durable. No thread waits for the sync. The connection reads no further request before
  // this response is written, so responses stay in order.
  void Complete(HttpRequest request, HttpResponse response, uint64_t audit_ticket,
                WorkGuard work, unsigned version, bool keep_alive, bool head,
                std::chrono::steady_clock::time_point start, bool on_loop) {
    if (audit_ticket == 0) {
      Response wire = Prepare(request, std::move(response), version, keep_alive, head, start);
      if (on_loop) return Write(std::move(wire));
      net::post(stream_.get_executor(),
                [self = this->shared_from_this(), wire = std::move(wire)]() mutable {
                  self->Write(std::move(wire));
                });
      return;
    }
    // The work guard travels with the callback, so Serve returns only after the ticket
    // completed and its response was written (or the connection closed).
    t_.handler.WhenAuditDurable(
        audit_ticket,
        [self = this->shared_from_this(), request = std::move(request),
         response = std::move(response), work = std::move(work), version, keep_alive, head,
         start](const Status& durable) mutable {
          net::post(self->stream_.get_executor(),
                    [self, durable, request = std::move(request), response = std::move(response),
                     work = std::move(work), version, keep_alive, head, start]() mutable {
                      if (!durable.ok()) {
                        response = self->t_.handler.AuditFailure(request, response.route);
                      }
                      self->t_.handler.RecordHeldResponse(
                          response, std::chrono::duration<double>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
                      self->Write(self->Prepare(request, std::move(response), version,
                                                keep_alive, head, start));
                    });
        });
  }

  // Logs the request and builds the wire response (any thread).
  Response Prepare(const HttpRequest& request, HttpResponse&& response, unsigned version,
                   bool keep_alive, bool head, std::chrono::steady_clock::time_point start) {
    t_.LogAccess(request, response.status, response.route, response.denial, response.subject,
                 response.body.size(), start);
    keep_alive = keep_alive && !t_.shutting_down.load();
    return ToWire(std::move(response), version, keep_alive, head);
  }

  void Write(Response response) {
    if (state_ == State::kClosed) return;
    state_ = State::kWriting;
    response_.emplace(std::move(response));
    Lowest().expires_after(t_.options.limits.write_timeout);
    http::async_write(stream_, *response_,
                      [self = this->shared_from_this()](ErrorCode ec, size_t) {
                        self->OnWrite(ec);
                      });
  }

  void OnWrite(ErrorCode ec) {
    const bool keep_alive = response_.has_value() && response_->keep_alive();
    response_.reset();
    if (ec) return Close();
    ++served_;
    if (linger_) return Linger();
    if (!keep_alive || t_.shutting_down.load()) return CloseAfterResponse();
    ReadRequest();
  }

  // Half-closes, then reads and discards the rest of the client's upload until it closes,
  // kLingerBytes have arrived or kLingerTimeout passes.
  void Linger() {
    state_ = State::kReading;
    ErrorCode ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Lowest().expires_after(kLingerTimeout);
    Drain();
  }

  void Drain() {
    Lowest().async_read_some(
        net::buffer(drain_),
        [self = this->shared_from_this()](ErrorCode ec, size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ >= kLingerBytes) return self->Close();
          self->Drain();
        });
  }

  // Closes after a complete response ("Connection: close" or draining). Over TLS it first
  // sends close_notify (bounded by kTlsShutdownTimeout), so the client can tell the end of
  // the stream from a truncation; no other operation is pending on the stream here.
  void CloseAfterResponse() {
    if constexpr (kTls) {
      if (state_ == State::kClosed) return;
      state_ = State::kClosed;
      Lowest().expires_after(kTlsShutdownTimeout);
      stream_.async_shutdown([self = this->shared_from_this()](ErrorCode) {
        ErrorCode ignored;
        self->Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->Lowest().close();
      });
    } else {
      Close();
    }
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    ErrorCode ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  Transport& t_;
  net::io_context& loop_;
  Stream stream_;
  const std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<Response> response_;
  std::array<char, 4096> drain_{};
  size_t drained_ = 0;
  size_t served_ = 0;  // Responses written on this connection.
  bool linger_ = false;
  State state_ = State::kIdle;
  std::list<std::weak_ptr<Connection>>::iterator registration_;
  bool registered_ = false;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerOptions& options, ApiHandler& handler)
      : transport(options, handler),
        acceptor(*transport.loops[0]),
        accept_retry(acceptor.get_executor()) {}

  void Accept() {
    net::io_context& loop = transport.NextLoop();
    acceptor.async_accept(loop, [this, &loop](ErrorCode ec, tcp::socket socket) {
      OnAccept(ec, std::move(socket), loop);
    });
  }

  void OnAccept(ErrorCode ec, tcp::socket socket, net::io_context& loop) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors or similar: back off instead of spinning on the error.
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](ErrorCode wec) {
        if (!wec && acceptor.is_open()) Accept();
      });
      return;
    }
    if (transport.shutting_down.load() || transport.connection_count() >= kMaxConnections) {
      ErrorCode ignored;
      socket.close(ignored);
    } else {
      ErrorCode ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::string peer = PeerAddress(socket);
      if (tls_context.has_value()) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            transport, loop, beast::ssl_stream<beast::tcp_stream>(std::move(socket), *tls_context),
            std::move(peer))
            ->Start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(
            transport, loop, beast::tcp_stream(std::move(socket)), std::move(peer))
            ->Start();
      }
    }
    Accept();
  }

  // Declared first: destroyed last (connections reference the TLS context through streams).
  std::optional<ssl::context> tls_context;
  Transport transport;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;

  std::mutex mu_;
  std::condition_variable served_cv_;
  bool served_ TB_GUARDED_BY(mu_) = false;
  std::thread deadline_thread_;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  Shutdown();
  {
    std::lock_guard<std::mutex> lock(impl_->mu_);
    impl_->served_ = true;  // The owner has joined Serve (or never ran it).
  }
  impl_->served_cv_.notify_all();
  if (impl_->deadline_thread_.joinable()) impl_->deadline_thread_.join();
}

bool HttpServer::tls() const { return impl_->tls_context.has_value(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const ServerOptions& options,
                                                       ApiHandler& handler) {
  TB_RETURN_IF_ERROR(ValidateServerOptions(options));
  try {
    auto impl = std::make_unique<Impl>(options, handler);
    if (!options.tls_cert_file.empty()) {
      ssl::context ctx(ssl::context::tls_server);
      ErrorCode ec;
      ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                      ec);
      if (!ec) ctx.use_certificate_chain_file(options.tls_cert_file, ec);
      if (!ec) ctx.use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
      if (ec) {
        return InvalidArgument("tls: cannot load certificate '" + options.tls_cert_file +
                               "' and key '" + options.tls_key_file + "': " + ec.message());
      }
      impl->tls_context.emplace(std::move(ctx));
    }
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
  } catch (const std::exception& e) {
    return Internal(std::string("http server: ") + e.what());
  }
}

Result<uint16_t> HttpServer::Bind() {
  const ServerOptions& options = impl_->transport.options;
  const std::string where = options.host + ":" + std::to_string(options.port);
  ErrorCode ec;
  tcp::resolver resolver(*impl_->transport.loops[0]);
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return IOError("cannot listen on " + where + ": " +
                   (ec ? ec.message() : std::string("no address")));
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor& acceptor = impl_->acceptor;
  // SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT; it
  // never lets two servers listen on the port (SO_REUSEPORT would, silently splitting
  // connections between them).
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(kListenBacklog, ec);
  if (!ec) {
    tcp::endpoint local = acceptor.local_endpoint(ec);
    if (!ec) return local.port();
  }
  ErrorCode ignored;
  acceptor.close(ignored);
  return IOError("cannot listen on " + where + ": " + ec.message());
}

Status HttpServer::Serve() {
  Transport& t = impl_->transport;
  {
    std::lock_guard<std::mutex> lock(impl_->mu_);
    if (t.shutting_down.load() || !impl_->acceptor.is_open()) {
      impl_->served_ = true;
      impl_->served_cv_.notify_all();
      if (t.shutting_down.load()) return Status::OK();
      return Internal("http server: Serve called before a successful Bind");
    }
  }
  Status result = Status::OK();
  try {
    HandlerPool pool(t.options.limits.worker_threads);
    t.pool = &pool;
    t.access_log.Start();
    impl_->Accept();
    std::vector<std::thread> io_threads;
    for (size_t i = 1; i < t.loops.size(); ++i) {
      io_threads.emplace_back([loop = t.loops[i].get()] {
        pthread_setname_np(pthread_self(), "tb-http-io");
        loop->run();
      });
    }
    t.loops[0]->run();
    for (std::thread& th : io_threads) th.join();
    pool.Stop();
    t.pool = nullptr;
    t.access_log.Stop();
  } catch (const std::exception& e) {
    result = Internal(std::string("http server: ") + e.what());
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mu_);
    impl_->served_ = true;
  }
  impl_->served_cv_.notify_all();
  return result;
}

void HttpServer::Shutdown() {
  Transport& t = impl_->transport;
  {
    std::lock_guard<std::mutex> lock(impl_->mu_);
    if (t.shutting_down.exchange(true)) return;
  }
  t.handler.set_ready(false);
  Impl* impl = impl_.get();
  net::post(impl->acceptor.get_executor(), [impl] {
    ErrorCode ignored;
    impl->acceptor.close(ignored);
    impl->accept_retry.cancel();
    impl->transport.CloseIdleConnections();
    // No connection can be given to the other loops any more: they may finish once their
    // connections have (Serve joins them). Released here, after the close, so a session
    // accepted just before it always finds its loop running.
    for (auto& guard : impl->transport.idle_guards) guard.reset();
  });
  impl->deadline_thread_ = std::thread([impl] {
    std::unique_lock<std::mutex> lock(impl->mu_);
    if (!impl->served_cv_.wait_for(lock, impl->transport.options.shutdown_deadline,
                                   [impl] { return impl->served_; })) {
      impl->transport.handler.CancelQueries();
    }
  });
}

}  // namespace trailbook::server
