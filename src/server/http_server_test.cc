// Socket-level tests of HttpServer on loopback: transport limits, slow clients, request
// ids, chunked responses, TLS, graceful shutdown and a bounded load test with audit counts.
#include "server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "io/file.h"
#include "server/testing/api_test_env.h"

namespace trailbook::server {
namespace {

using testing::Env;

// Runs an HttpServer for `env` on a free loopback port until destroyed.
class RunningServer {
 public:
  RunningServer(Env& env, ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    auto server = HttpServer::Create(options, *env.handler);
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    auto port = server_->Bind();
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    thread_ = std::thread([this] { served_ = server_->Serve(); });
  }
  ~RunningServer() { Stop(); }

  void Stop() {
    if (!thread_.joinable()) return;
    server_->Shutdown();
    thread_.join();
  }
  HttpServer& server() { return *server_; }
  int port() const { return port_; }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    c.set_tcp_nodelay(true);
    return c;
  }

 private:
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::thread thread_;
  Status served_;
};

httplib::Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// Connects a raw TCP socket to the loopback port; returns the fd.
int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}

// A burst of connects completes its handshakes in the kernel's accept queue even before the
// server accepts any: with httplib's own backlog (5) all but a handful would wait for a SYN
// retransmission (1 s), which showed as a 1.2 s p99 under load.
TEST(HttpServerTest, ListenBacklogHoldsABurstOfConnects) {
  Env env;
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.access_log = false;
  auto server = HttpServer::Create(options, *env.handler);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto port = (*server)->Bind();  // Bound and listening, but not serving: nothing accepts.
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  constexpr int kBurst = 200;
  std::vector<int> fds;
  for (int i = 0; i < kBurst; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(*port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ASSERT_TRUE(rc == 0 || errno == EINPROGRESS) << std::strerror(errno);
    fds.push_back(fd);
  }
  int connected = 0;
  for (int fd : fds) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 500) == 1) {
      int err = 0;
      socklen_t len = sizeof(err);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) ++connected;
    }
    ::close(fd);
  }
  EXPECT_EQ(connected, kBurst);
}

// The port is the server's alone: a second server on it fails to bind with a clear error
// (httplib's default SO_REUSEPORT would have let both listen and split the connections).
TEST(HttpServerTest, SecondServerOnTheSamePortFailsToBind) {
  Env env;
  RunningServer first(env, {});
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = static_cast<uint16_t>(first.port());
  auto second = HttpServer::Create(options, *env.handler);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto port = (*second)->Bind();
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.status().code(), StatusCode::kIOError);
  EXPECT_NE(port.status().message().find("cannot listen on 127.0.0.1:" +
                                         std::to_string(first.port())),
            std::string::npos)
      << port.status().message();
}

// httplib's stop() is a no-op until its accept loop runs, so a Shutdown right after Serve
// starts must wait for the loop, or Serve never returns. Each round gives up after 10 s
// (aborting rather than hanging the suite).
TEST(HttpServerTest, ShutdownRightAfterServeStartsAlwaysReturns) {
  Env env;
  for (int round = 0; round < 200; ++round) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = false;
    auto server = HttpServer::Create(options, *env.handler);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    ASSERT_TRUE((*server)->Bind().ok());
    std::promise<Status> served;
    std::future<Status> done = served.get_future();
    std::thread serve([&] { served.set_value((*server)->Serve()); });
    (*server)->Shutdown();
    if (done.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ADD_FAILURE() << "Serve did not return after Shutdown (round " << round << ")";
      std::abort();
    }
    serve.join();
    EXPECT_TRUE(done.get().ok()) << round;
  }
}

TEST(HttpServerTest, ServesTheApiAndEchoesRequestIds) {
  Env env;
  RunningServer server(env, {});
  httplib::Client client = server.Client();
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->get_header_value("X-Request-Id").size(), 36u);  // A fresh UUID.
  auto tagged = client.Get("/healthz", {{"X-Request-Id", "trace-abc.123"}});
  EXPECT_EQ(tagged->get_header_value("X-Request-Id"), "trace-abc.123");
  auto hostile = client.Get("/healthz", {{"X-Request-Id", "bad id\"with quotes"}});
  EXPECT_NE(hostile->get_header_value("X-Request-Id"), "bad id\"with quotes");

  auto query = client.Post("/v1/query", Bearer(env.Token({"query:adhoc"})),
                           R"({"sql":"SELECT count(*) AS n FROM events"})", "application/json");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->status, 200) << query->body;
  EXPECT_NE(query->body.find("\"n\":45"), std::string::npos) << query->body;
  ASSERT_EQ(env.audit.size(), 1u);
  EXPECT_EQ(env.audit.events()[0].request_id, query->get_header_value("X-Request-Id"));
  EXPECT_EQ(env.audit.events()[0].source_ip, "127.0.0.1");

  auto denied = client.Get("/v1/runbooks");
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->get_header_value("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
  EXPECT_EQ(denied->get_header_value("Content-Type"), "application/problem+json");
}

TEST(HttpServerTest, BodyLargerThanTheLimitIs413BeforeTheHandler) {
  ServerLimits limits;
  limits.max_body_bytes = 1024;
  Env env(limits);
  ServerOptions options;
  options.limits = limits;
  RunningServer server(env, options);
  httplib::Client client = server.Client();
  auto r = client.Post("/v1/query", Bearer(env.Token({"query:adhoc"})), std::string(4096, ' '),
                       "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("\"status\":413"), std::string::npos) << r->body;
  EXPECT_EQ(env.audit.size(), 0u);  // Refused before authentication: nothing ran.
}

TEST(HttpServerTest, SlowClientsAreCutOffByTheReadTimeout) {
  Env env;
  ServerOptions options;
  options.limits.read_timeout = std::chrono::seconds(1);
  options.limits.keep_alive_timeout = std::chrono::seconds(1);
  options.limits.worker_threads = 2;
  RunningServer server(env, options);
  // Slowloris: an unfinished header block, then silence.
  int fd = Connect(server.port());
  std::string partial = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n";
  ASSERT_EQ(::send(fd, partial.data(), partial.size(), 0), static_cast<ssize_t>(partial.size()));
  auto start = std::chrono::steady_clock::now();
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string received;
  char buffer[512];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<size_t>(n));
  }
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The server gave up on the request (an error at most, never the page) and closed the
  // connection, well before the client's own 10 s timeout.
  EXPECT_EQ(received.find("HTTP/1.1 200"), std::string::npos) << received;
  EXPECT_LT(waited, 5.0);
  ::close(fd);
  // Meanwhile and afterwards, other clients are served.
  auto r = server.Client().Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpServerTest, LargePagesAreSentChunked) {
  ServerLimits limits;
  limits.max_page_rows = 200000;
  Env env(limits);
  ServerOptions options;
  options.limits = limits;
  RunningServer server(env, options);
  httplib::Client client = server.Client();
  auto r = client.Post("/v1/query", Bearer(env.Token({"query:adhoc"})),
                       R"({"sql":"SELECT a.eventID AS x, b.eventID AS y FROM events a CROSS JOIN events b CROSS JOIN events c","limit":100000,"format":"ndjson"})",
                       "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body.substr(0, 300);
  EXPECT_EQ(r->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 45 * 45 * 45);
  EXPECT_EQ(r->get_header_value("X-Row-Count"), std::to_string(45 * 45 * 45));
}

TEST(HttpServerTest, ShutdownFinishesInFlightRequestsThenStops) {
  Env env;
  ServerOptions options;
  options.shutdown_deadline = std::chrono::milliseconds(30000);
  RunningServer server(env, options);
  std::string token = env.Token({"query:adhoc"});
  int status = 0;
  std::thread client_thread([&] {
    httplib::Client client = server.Client();
    auto r = client.Post("/v1/query", Bearer(token),
                         R"({"sql":"SELECT count(*) AS n FROM events a CROSS JOIN events b CROSS JOIN events c CROSS JOIN events d"})",
                         "application/json");
    status = r ? r->status : -1;
  });
  for (int i = 0; i < 5000 && env.handler->query_slots().Counts().first == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server.Stop();  // Returns once in-flight work is done.
  client_thread.join();
  EXPECT_EQ(status, 200);
  EXPECT_FALSE(env.handler->ready());
  EXPECT_EQ(env.audit.Count("QueryAdhoc", ""), 1u);
  httplib::Client late("127.0.0.1", server.port());
  late.set_connection_timeout(1, 0);
  EXPECT_FALSE(late.Get("/healthz"));  // No longer accepting.
}

TEST(HttpServerTest, ShutdownPastTheDeadlineCancelsQueries) {
  Env env;
  ServerOptions options;
  options.shutdown_deadline = std::chrono::milliseconds(100);
  RunningServer server(env, options);
  std::string token = env.Token({"query:adhoc"});
  int status = 0;
  std::thread client_thread([&] {
    httplib::Client client = server.Client();
    auto r = client.Post("/v1/query", Bearer(token),
                         R"({"sql":"SELECT count(*) AS n FROM events a CROSS JOIN events b CROSS JOIN events c CROSS JOIN events d CROSS JOIN events e CROSS JOIN events f"})",
                         "application/json");
    status = r ? r->status : -1;
  });
  for (int i = 0; i < 5000 && env.handler->query_slots().Counts().first == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto start = std::chrono::steady_clock::now();
  server.Stop();
  client_thread.join();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  EXPECT_EQ(status, 504);
  EXPECT_EQ(env.audit.Count("QueryAdhoc", "QueryFailed"), 1u);  // Audited even when cancelled.
}

void WriteSelfSignedCert(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("trailbook test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* f = std::fopen(cert_path.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen(key_path.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

// Server options with a fresh self-signed certificate and key in a directory named by `prefix`.
ServerOptions TlsOptions(const std::string& prefix) {
  std::string dir = ::testing::TempDir() + "/" + prefix + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  ServerOptions options;
  options.tls_cert_file = dir + "/cert.pem";
  options.tls_key_file = dir + "/key.pem";
  WriteSelfSignedCert(options.tls_cert_file, options.tls_key_file);
  return options;
}

// A TLS connection closed after its response ends with close_notify, so the client can
// tell a complete response from a truncated one.
TEST(HttpServerTest, TlsCloseSendsCloseNotify) {
  ServerOptions options = TlsOptions("server_tls_close_");
  Env env;
  RunningServer server(env, options);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  ASSERT_NE(ctx, nullptr);
  SSL* ssl = SSL_new(ctx);
  int fd = Connect(server.port());
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  SSL_set_fd(ssl, fd);
  ASSERT_EQ(SSL_connect(ssl), 1);
  std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(SSL_write(ssl, request.data(), static_cast<int>(request.size())),
            static_cast<int>(request.size()));
  std::string reply;
  char buffer[4096];
  int n;
  while ((n = SSL_read(ssl, buffer, sizeof(buffer))) > 0) reply.append(buffer, static_cast<size_t>(n));
  EXPECT_EQ(SSL_get_error(ssl, n), SSL_ERROR_ZERO_RETURN);  // close_notify, not a bare EOF.
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
}

TEST(HttpServerTest, ServesTlsWhenGivenACertificate) {
  ServerOptions options = TlsOptions("server_tls_");
  Env env;
  RunningServer server(env, options);
  EXPECT_TRUE(server.server().tls());
  httplib::SSLClient client("127.0.0.1", server.port());
  client.enable_server_certificate_verification(false);
  auto r = client.Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  // A plain-HTTP request to the TLS port gets no HTTP answer.
  httplib::Client plain("127.0.0.1", server.port());
  plain.set_read_timeout(2, 0);
  auto p = plain.Get("/healthz");
  EXPECT_TRUE(!p || p->status != 200);

  ServerOptions broken = options;
  broken.tls_key_file = options.tls_key_file + ".missing";
  EXPECT_EQ(HttpServer::Create(broken, *env.handler).status().code(), StatusCode::kInvalidArgument);
}

// Sends `bytes` on connection `fd` and reads until the server closes it or `seconds`
// pass; returns what arrived.
std::string Exchange(int fd, const std::string& bytes, double seconds) {
  if (!bytes.empty()) {
    EXPECT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::string received;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) != 1) continue;
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<size_t>(n));
  }
  return received;
}

// Exchange on a connection of its own to `port`, closed afterwards.
std::string ExchangeOnce(int port, const std::string& bytes, double seconds) {
  int fd = Connect(port);
  std::string received = Exchange(fd, bytes, seconds);
  ::close(fd);
  return received;
}

// Expects `reply` to hold the responses to requests "first" and "second" (X-Request-Id),
// in that order.
void ExpectFirstAnsweredBeforeSecond(const std::string& reply) {
  size_t first = reply.find("X-Request-Id: first");
  size_t second = reply.find("X-Request-Id: second");
  ASSERT_NE(first, std::string::npos) << reply;
  ASSERT_NE(second, std::string::npos) << reply;
  EXPECT_LT(first, second) << reply;
}

// Reads until `count` complete responses with Content-Length bodies have arrived (or 10 s).
std::string ReadResponses(int fd, size_t count) {
  std::string received;
  char buffer[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto complete = [&] {
    size_t pos = 0;
    for (size_t i = 0; i < count; ++i) {
      size_t end = received.find("\r\n\r\n", pos);
      if (end == std::string::npos) return false;
      size_t cl = received.find("Content-Length: ", pos);
      if (cl == std::string::npos || cl > end) return false;
      size_t length = std::stoul(received.substr(cl + 16));
      if (received.size() < end + 4 + length) return false;
      pos = end + 4 + length;
    }
    return true;
  };
  while (!complete() && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) != 1) continue;
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<size_t>(n));
  }
  return received;
}

// Generated ids are UUID-shaped (RFC 9562 version 8: a per-server random prefix and a
// counter) and never repeat.
TEST(HttpServerTest, GeneratedRequestIdsAreUuidShapedAndUnique) {
  Env env;
  RunningServer server(env, {});
  httplib::Client client = server.Client();
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto r = client.Get("/healthz");
    ASSERT_TRUE(r);
    std::string id = r->get_header_value("X-Request-Id");
    ASSERT_EQ(id.size(), 36u) << id;
    for (size_t k = 0; k < id.size(); ++k) {
      bool dash = k == 8 || k == 13 || k == 18 || k == 23;
      EXPECT_TRUE(dash ? id[k] == '-' : std::isxdigit(static_cast<unsigned char>(id[k])) != 0) << id;
    }
    EXPECT_EQ(id[14], '8') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST(HttpServerTest, HeadersBeyondTheLimitAre431BeforeTheHandler) {
  Env env;
  RunningServer server(env, {});
  std::string request = "GET /v1/runbooks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        env.Token({"runbook:run"}) + "\r\n";
  for (int i = 0; i < 64; ++i) request += "X-Junk-" + std::to_string(i) + ": " + std::string(1000, 'j') + "\r\n";
  request += "\r\n";
  std::string reply = ExchangeOnce(server.port(), request, 5);
  EXPECT_EQ(reply.rfind("HTTP/1.1 431", 0), 0u) << reply.substr(0, 200);
  EXPECT_NE(reply.find("\"status\":431"), std::string::npos) << reply;
  EXPECT_NE(reply.find("X-Request-Id: "), std::string::npos) << reply;
  EXPECT_EQ(env.audit.size(), 0u);
  EXPECT_EQ(env.metrics.RequestCount("unmatched", 431, "transport"), 1u);  // Seen in /metrics.
}

TEST(HttpServerTest, MalformedRequestsAre400AndClosed) {
  Env env;
  RunningServer server(env, {});
  for (const std::string& bad : {std::string("GARBAGE\r\n\r\n"),
                                 std::string("GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"),
                                 std::string("GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n"),
                                 std::string("GET http://elsewhere/healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
                                 std::string("POST /v1/query HTTP/1.1\r\nHost: x\r\n"
                                             "Content-Length: 5\r\nContent-Length: 7\r\n\r\n")}) {
    std::string reply = ExchangeOnce(server.port(), bad, 5);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << bad << " -> " << reply.substr(0, 200);
    EXPECT_NE(reply.find("application/problem+json"), std::string::npos) << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  }
  EXPECT_EQ(env.audit.size(), 0u);
  EXPECT_EQ(env.metrics.RequestCount("unmatched", 400, "transport"), 5u);  // Seen in /metrics.
}

TEST(HttpServerTest, ExpectContinueIsAnsweredOnlyWithinTheBodyLimit) {
  ServerLimits limits;
  limits.max_body_bytes = 1024;
  Env env(limits);
  ServerOptions options;
  options.limits = limits;
  RunningServer server(env, options);
  std::string body = R"({"sql":"SELECT count(*) AS n FROM events"})";
  int fd = Connect(server.port());
  std::string head = "POST /v1/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     env.Token({"query:adhoc"}) + "\r\nContent-Type: application/json\r\n" +
                     "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\n\r\n";
  std::string interim = Exchange(fd, head, 0.5);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_EQ(::send(fd, body.data(), body.size(), 0), static_cast<ssize_t>(body.size()));
  std::string reply = ReadResponses(fd, 1);
  ::close(fd);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply.substr(0, 300);
  EXPECT_NE(reply.find("\"n\":45"), std::string::npos) << reply;

  // Over the limit: 413 at once, never 100 Continue, and the handler never sees it.
  std::string reply413 = ExchangeOnce(server.port(),
                                      "POST /v1/query HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                      "Content-Length: 5000\r\n\r\n", 3);
  EXPECT_EQ(reply413.rfind("HTTP/1.1 413", 0), 0u) << reply413.substr(0, 200);
  EXPECT_EQ(env.audit.size(), 1u);
}

TEST(HttpServerTest, ChunkedUploadOverTheLimitIs413) {
  ServerLimits limits;
  limits.max_body_bytes = 1024;
  Env env(limits);
  ServerOptions options;
  options.limits = limits;
  RunningServer server(env, options);
  std::string request = "POST /v1/query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) request += "200\r\n" + std::string(512, ' ') + "\r\n";
  request += "0\r\n\r\n";
  std::string reply = ExchangeOnce(server.port(), request, 3);
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 200);
  EXPECT_EQ(env.audit.size(), 0u);
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Env env;
  RunningServer server(env, {});
  int fd = Connect(server.port());
  std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
                    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n";
  ASSERT_EQ(::send(fd, two.data(), two.size(), 0), static_cast<ssize_t>(two.size()));
  std::string reply = ReadResponses(fd, 2);
  ::close(fd);
  ExpectFirstAnsweredBeforeSecond(reply);
}

TEST(HttpServerTest, HeadAnswersTheLengthWithoutTheBody) {
  Env env;
  RunningServer server(env, {});
  std::string reply =
      ExchangeOnce(server.port(), "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5);
  ASSERT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  size_t end = reply.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(reply.size(), end + 4) << reply;  // No body follows the header.
  EXPECT_EQ(reply.find("Content-Length: 0\r\n"), std::string::npos) << reply;
  EXPECT_NE(reply.find("Content-Length: "), std::string::npos) << reply;
}

TEST(HttpServerTest, IdleKeepAliveConnectionsAreClosedAfterTheTimeout) {
  Env env;
  ServerOptions options;
  options.limits.keep_alive_timeout = std::chrono::seconds(1);
  RunningServer server(env, options);
  int fd = Connect(server.port());
  std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  ASSERT_EQ(ReadResponses(fd, 1).rfind("HTTP/1.1 200", 0), 0u);
  auto start = std::chrono::steady_clock::now();
  std::string rest = Exchange(fd, "", 10);  // Returns when the server closes.
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  EXPECT_TRUE(rest.empty()) << rest;
  EXPECT_GT(waited, 0.5);
  EXPECT_LT(waited, 5.0);
}

// A long query holds a handler thread, not the event loop: other connections are served
// while it runs, even with only two handler threads.
TEST(HttpServerTest, ASlowRequestDoesNotStallOtherConnections) {
  Env env;
  ServerOptions options;
  options.limits.worker_threads = 2;
  RunningServer server(env, options);
  std::string token = env.Token({"query:adhoc"});
  std::thread slow([&] {
    httplib::Client client = server.Client();
    auto r = client.Post("/v1/query", Bearer(token),
                         R"({"sql":"SELECT count(*) AS n FROM events a CROSS JOIN events b CROSS JOIN events c CROSS JOIN events d"})",
                         "application/json");
    EXPECT_TRUE(r && r->status == 200);
  });
  for (int i = 0; i < 5000 && env.handler->query_slots().Counts().first == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(env.handler->query_slots().Counts().first, 1u);
  httplib::Client client = server.Client();
  for (int i = 0; i < 20; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto r = client.Get("/healthz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
  }
  slow.join();
}

// Shutdown does not wait for idle keep-alive connections to time out.
TEST(HttpServerTest, ShutdownClosesIdleKeepAliveConnectionsAtOnce) {
  Env env;
  ServerOptions options;
  options.limits.keep_alive_timeout = std::chrono::seconds(60);
  RunningServer server(env, options);
  int fd = Connect(server.port());
  std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  ASSERT_EQ(ReadResponses(fd, 1).rfind("HTTP/1.1 200", 0), 0u);
  int silent = Connect(server.port());  // Connected, never sends a byte.
  auto start = std::chrono::steady_clock::now();
  server.Stop();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3.0);
  EXPECT_TRUE(Exchange(fd, "", 2).empty());  // Closed by the server.
  ::close(fd);
  ::close(silent);
}

// A raw HTTP/1.1 POST /v1/query with `token`, kept alive.
std::string QueryRequest(const std::string& token, const std::string& request_id) {
  std::string body = R"({"sql":"SELECT count(*) AS n FROM events"})";
  return "POST /v1/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\nX-Request-Id: " + request_id +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Waits (up to 10 s) until `audit` holds `count` durability callbacks.
bool WaitHeld(const testing::RecordingAuditLog& audit, size_t count) {
  for (int i = 0; i < 10000 && audit.held() < count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return audit.held() == count;
}

// No response that reveals results or claims success (or a denial) leaves before its audit
// event is durable: with durability held, the allowed query and the rejected token get no
// bytes; once the events are durable both are answered.
TEST(HttpServerTest, ResponsesWaitForTheirAuditEventToBeDurable) {
  Env env;
  env.audit.set_hold_durability(true);
  RunningServer server(env, {});
  int allowed = Connect(server.port());
  int rejected = Connect(server.port());
  std::string request = QueryRequest(env.Token({"query:adhoc"}), "allowed");
  ASSERT_EQ(::send(allowed, request.data(), request.size(), 0),
            static_cast<ssize_t>(request.size()));
  request = QueryRequest("garbage", "rejected");
  ASSERT_EQ(::send(rejected, request.data(), request.size(), 0),
            static_cast<ssize_t>(request.size()));
  ASSERT_TRUE(WaitHeld(env.audit, 2));
  EXPECT_EQ(env.audit.size(), 2u);  // Written (and chained) already, only not durable.
  EXPECT_EQ(Exchange(allowed, "", 0.3), "");
  EXPECT_EQ(Exchange(rejected, "", 0.1), "");
  EXPECT_EQ(env.audit.ReleaseDurability(Status::OK()), 2u);
  std::string answer = ReadResponses(allowed, 1);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"n\":45"), std::string::npos) << answer;
  answer = ReadResponses(rejected, 1);
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer;
  ::close(allowed);
  ::close(rejected);
  // Each held response is counted once in /metrics, as sent.
  EXPECT_EQ(env.metrics.RequestCount("/v1/query", 200, ""), 1u);
  EXPECT_EQ(env.metrics.RequestCount("/v1/query", 503, "audit_unavailable"), 0u);
}

// When the audit events cannot be made durable, the client gets the fail-closed 503 and no
// rows, exactly as when the append itself fails.
TEST(HttpServerTest, FailedDurabilityAnswers503WithoutResults) {
  Env env;
  env.audit.set_hold_durability(true);
  RunningServer server(env, {});
  int fd = Connect(server.port());
  std::string request = QueryRequest(env.Token({"query:adhoc"}), "doomed");
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  ASSERT_TRUE(WaitHeld(env.audit, 1));
  EXPECT_EQ(env.audit.ReleaseDurability(IOError("fdatasync failed (test)")), 1u);
  std::string answer = ReadResponses(fd, 1);
  ::close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("X-Request-Id: doomed"), std::string::npos) << answer;
  EXPECT_NE(answer.find("audit log could not record"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("\"n\":"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("\"rows\""), std::string::npos) << answer;
  EXPECT_EQ(answer.find("X-Row-Count"), std::string::npos) << answer;
  // /metrics counts the 503 that was sent, not the 200 the handler had computed.
  EXPECT_EQ(env.metrics.RequestCount("/v1/query", 503, "audit_unavailable"), 1u);
  EXPECT_EQ(env.metrics.RequestCount("/v1/query", 200, ""), 0u);
  // A log that cannot make events durable takes the server out of rotation.
  httplib::Client client("127.0.0.1", server.port());
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  EXPECT_NE(ready->body.find("audit log cannot record"), std::string::npos) << ready->body;
  EXPECT_EQ(ready->body.find("fdatasync"), std::string::npos) << ready->body;  // Not leaked.
}

// Pipelined requests on one keep-alive connection are answered in order even when the
// first waits for durability and the second (no audit event) is ready at once.
TEST(HttpServerTest, KeepAliveResponsesStayInOrderWhileDurabilityIsHeld) {
  Env env;
  env.audit.set_hold_durability(true);
  RunningServer server(env, {});
  int fd = Connect(server.port());
  std::string two = QueryRequest(env.Token({"query:adhoc"}), "first") +
                    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n";
  ASSERT_EQ(::send(fd, two.data(), two.size(), 0), static_cast<ssize_t>(two.size()));
  ASSERT_TRUE(WaitHeld(env.audit, 1));
  EXPECT_EQ(Exchange(fd, "", 0.3), "");  // Not even the health check overtakes the query.
  env.audit.ReleaseDurability(Status::OK());
  std::string reply = ReadResponses(fd, 2);
  ::close(fd);
  ExpectFirstAnsweredBeforeSecond(reply);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
}

// Serve does not return while a response waits for durability; once the ticket completes
// the response is written and Serve returns.
TEST(HttpServerTest, ShutdownWaitsForPendingDurability) {
  Env env;
  env.audit.set_hold_durability(true);
  ServerOptions options;
  options.shutdown_deadline = std::chrono::milliseconds(100);  // Cancelling cannot skip it.
  RunningServer server(env, options);
  int fd = Connect(server.port());
  std::string request = QueryRequest(env.Token({"query:adhoc"}), "pending");
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  ASSERT_TRUE(WaitHeld(env.audit, 1));
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server.Stop();
    stopped.store(true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_FALSE(stopped.load());
  env.audit.ReleaseDurability(Status::OK());
  std::string answer = ReadResponses(fd, 1);
  stopper.join();
  ::close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"n\":45"), std::string::npos) << answer;
}

// Access-log lines are buffered but not held back: they reach stderr within the flush
// interval while the server runs, and none is lost when it shuts down.
TEST(HttpServerTest, AccessLogLinesAreWrittenInBatchesAndNoneIsLost) {
  Env env;
  std::string path = std::filesystem::temp_directory_path() /
                     ("tb_access_log_" + std::to_string(::getpid()) + ".txt");
  int file = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  ASSERT_GE(file, 0);
  std::fflush(stderr);
  int saved = ::dup(2);
  ::dup2(file, 2);
  ::close(file);
  auto lines = [&] {
    Result<std::string> text = io::ReadFile(path, 1 << 20);
    if (!text.ok()) return size_t{0};
    return static_cast<size_t>(std::count(text->begin(), text->end(), '\n'));
  };
  {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.access_log = true;
    auto server = HttpServer::Create(options, *env.handler);
    ASSERT_TRUE(server.ok());
    auto port = (*server)->Bind();
    ASSERT_TRUE(port.ok());
    std::thread serve([&] { (void)(*server)->Serve(); });
    httplib::Client client("127.0.0.1", *port);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(client.Get("/healthz"));
    for (int i = 0; i < 2000 && lines() < 5; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(lines(), 5u);  // Flushed by the interval, not by shutdown.
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(client.Get("/healthz"));
    (*server)->Shutdown();
    serve.join();
  }
  ::dup2(saved, 2);
  ::close(saved);
  EXPECT_EQ(lines(), 25u);
  std::filesystem::remove(path);
}

// A bounded load test on loopback: concurrent keep-alive clients mix allowed runs, denied
// runs and bad tokens; afterwards every response has exactly one audit event of its kind.
TEST(HttpServerTest, LoadTestLosesAndDuplicatesNoAuditEvent) {
  Env env;
  ServerOptions options;
  options.limits.max_concurrent_queries = 4;
  options.limits.max_queued_queries = 64;
  RunningServer server(env, options);
  std::string allowed = env.Token({"runbook:run"}, {"ir.user-activity"});
  std::string denied = env.Token({"runbook:run"}, {"ir.all-events"});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 60;
  std::atomic<int> ok{0}, forbidden{0}, unauthenticated{0}, other{0};
  std::mutex ids_mu;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client = server.Client();
      client.set_keep_alive(true);
      for (int i = 0; i < kPerThread; ++i) {
        int kind = (t + i) % 3;
        std::string token = kind == 0 ? allowed : kind == 1 ? denied : "garbage";
        auto r = client.Post("/v1/runbooks/ir.user-activity/runs", Bearer(token),
                             R"({"params":{"user":"bob"}})", "application/json");
        if (!r) {
          ++other;
          continue;
        }
        if (r->status == 200) ++ok;
        else if (r->status == 403) ++forbidden;
        else if (r->status == 401) ++unauthenticated;
        else ++other;
        std::lock_guard<std::mutex> lock(ids_mu);
        ids.insert(r->get_header_value("X-Request-Id"));
      }
    });
  }
  for (auto& th : threads) th.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ok + forbidden + unauthenticated, kThreads * kPerThread);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(env.audit.Count("RunRunbook", ""), static_cast<size_t>(ok.load()));
  EXPECT_EQ(env.audit.Count("RunRunbook", "AccessDenied"), static_cast<size_t>(forbidden.load()));
  EXPECT_EQ(env.audit.Count("VerifyToken", "InvalidToken"), static_cast<size_t>(unauthenticated.load()));
  EXPECT_EQ(env.audit.size(), static_cast<size_t>(kThreads * kPerThread));
  std::set<std::string> audited_ids;
  for (const auto& e : env.audit.events()) audited_ids.insert(e.request_id);
  EXPECT_EQ(audited_ids, ids);
  std::printf("load test: %d requests in %.2f s (%.0f/s)\n", kThreads * kPerThread, seconds,
              kThreads * kPerThread / seconds);
}

}  // namespace
}  // namespace trailbook::server
