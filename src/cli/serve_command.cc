// trailbook serve [--listen 127.0.0.1:8080] [--config trailbook.yaml] [--store DIR]
//   [--runbooks DIR] [--jwks FILE|URL --issuer ISS [--audience AUD] [--alg A,B]]
//   [--tls-cert PEM --tls-key PEM] [--snapshot-key FILE] [--audit-digest-key FILE]
//   [--trusted-proxy CIDR]... [--limit name=value]...
//
// Settings come from the config file, then environment variables, then flags (later wins):
// TRAILBOOK_LISTEN, TRAILBOOK_STORE, TRAILBOOK_RUNBOOKS, TRAILBOOK_JWKS, TRAILBOOK_ISSUER,
// TRAILBOOK_AUDIENCE, TRAILBOOK_TLS_CERT, TRAILBOOK_TLS_KEY, TRAILBOOK_SNAPSHOT_KEY,
// TRAILBOOK_AUDIT_DIGEST_KEY, TRAILBOOK_TRUSTED_PROXIES (comma-separated),
// TRAILBOOK_SERVER_LIMITS ("name=value,name=value"). SIGTERM or SIGINT shuts down
// gracefully: stop accepting, let in-flight requests finish within the deadline, write
// the final audit digest, exit 0.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/command.h"
#include "cli/exit_code.h"
#include "cli/store_flags.h"
#include "io/file.h"
#include "server/serve_config.h"
#include "server/service.h"

namespace trailbook::cli {
namespace {

struct ServeFlags {
  std::string listen, config, store, runbooks;
  std::string jwks, issuer, audience, ca_file;
  std::vector<std::string> algs;
  std::string tls_cert, tls_key, snapshot_key, audit_digest_key;
  std::vector<std::string> trusted_proxies;
  std::vector<std::string> limits;
  std::vector<std::string> audit_fold;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Config file, then environment, then flags.
Result<server::ServeConfig> BuildConfig(const ServeFlags& flags) {
  server::ServeConfig config;
  if (!flags.config.empty()) {
    TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(flags.config, 1 << 20));
    TB_RETURN_IF_ERROR(server::ApplyServeYaml(text, flags.config, &config));
  }
  auto pick = [](const std::string& flag, const char* env, std::string* field) {
    if (!flag.empty()) {
      *field = flag;
    } else if (std::string e = Env(env); !e.empty()) {
      *field = e;
    }
  };
  std::string listen;
  pick(flags.listen, "TRAILBOOK_LISTEN", &listen);
  if (!listen.empty()) {
    TB_RETURN_IF_ERROR(server::ParseListenAddress(listen, &config.server.host, &config.server.port));
  }
  pick(flags.store, "TRAILBOOK_STORE", &config.store_dir);
  pick(flags.runbooks, "TRAILBOOK_RUNBOOKS", &config.runbooks_dir);
  pick(flags.tls_cert, "TRAILBOOK_TLS_CERT", &config.server.tls_cert_file);
  pick(flags.tls_key, "TRAILBOOK_TLS_KEY", &config.server.tls_key_file);
  pick(flags.snapshot_key, "TRAILBOOK_SNAPSHOT_KEY", &config.snapshot_key_file);
  pick(flags.audit_digest_key, "TRAILBOOK_AUDIT_DIGEST_KEY", &config.audit_digest_key_file);
  pick(flags.ca_file, "TRAILBOOK_JWKS_CA_FILE", &config.jwks_ca_file);
  // --jwks/--issuer (or their variables) define the first issuer, replacing a config shorthand.
  server::IssuerSettings issuer;
  pick(flags.jwks, "TRAILBOOK_JWKS", &issuer.jwks);
  pick(flags.issuer, "TRAILBOOK_ISSUER", &issuer.issuer);
  std::string audience;
  pick(flags.audience, "TRAILBOOK_AUDIENCE", &audience);
  if (!issuer.jwks.empty() || !issuer.issuer.empty()) {
    if (issuer.jwks.empty() || issuer.issuer.empty()) {
      return InvalidArgument("--jwks and --issuer go together (a key set is bound to one issuer)");
    }
    if (!audience.empty()) issuer.audiences = {audience};
    issuer.algorithms = flags.algs;
    config.issuers.insert(config.issuers.begin(), std::move(issuer));
  } else if (!audience.empty() || !flags.algs.empty()) {
    for (server::IssuerSettings& i : config.issuers) {
      if (!audience.empty()) i.audiences = {audience};
      if (!flags.algs.empty()) i.algorithms = flags.algs;
    }
  }
  std::vector<std::string> proxies = flags.trusted_proxies;
  if (proxies.empty()) proxies = SplitCommas(Env("TRAILBOOK_TRUSTED_PROXIES"));
  if (!proxies.empty()) config.server.trusted_proxies = proxies;
  for (const std::string& limit : SplitCommas(Env("TRAILBOOK_SERVER_LIMITS"))) {
    TB_RETURN_IF_ERROR(server::ApplyServerLimit(limit, &config.server));
  }
  for (const std::string& limit : flags.limits) {
    TB_RETURN_IF_ERROR(server::ApplyServerLimit(limit, &config.server));
  }
  for (const std::string& setting : flags.audit_fold) {
    TB_RETURN_IF_ERROR(server::ApplyAuditFoldAssignment(setting, &config));
  }
  TB_RETURN_IF_ERROR(server::ValidateServeConfig(config));
  return config;
}

int RunServe(const ServeFlags& flags) {
  Result<server::ServeConfig> config = BuildConfig(flags);
  if (!config.ok()) {
    PrintError(config.status().message());
    return ToInt(ExitCode::kUsage);
  }
  // Block the shutdown signals before any thread starts, so only the watcher receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  Result<std::unique_ptr<server::Service>> service = server::Service::Open(*config);
  if (!service.ok()) {
    PrintError(service.status().message());
    return ToInt(ExitCodeFor(service.status()));
  }
  Result<uint16_t> port = (*service)->Bind();
  if (!port.ok()) {
    PrintError(port.status().message());
    return ToInt(ExitCode::kFailure);
  }
  std::fprintf(stderr, "trailbook: serving on %s://%s:%u (store %s)\n",
               config->server.tls_cert_file.empty() ? "http" : "https",
               config->server.host.c_str(), static_cast<unsigned>(*port), config->store_dir.c_str());
  server::Service* running = service->get();
  std::thread watcher([running, signals] {
    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "trailbook: signal %d: shutting down\n", received);
    running->Shutdown();
  });
  Status served = running->Serve();
  // Serve returned (after a signal, or an error): release the watcher if it still waits.
  pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  if (!served.ok()) {
    PrintError(served.message());
    return ToInt(ExitCodeFor(served));
  }
  std::fprintf(stderr, "trailbook: stopped\n");
  return ToInt(ExitCode::kOk);
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandAction& action) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API (docs/api/openapi.yaml)");
  cmd->add_option("--listen", flags->listen, "host:port ($TRAILBOOK_LISTEN; default 127.0.0.1:8080)");
  cmd->add_option("--config", flags->config, "trailbook.yaml (docs/server.md)");
  AddStoreFlag(cmd, &flags->store);
  cmd->add_option("--runbooks", flags->runbooks, "Runbook directory ($TRAILBOOK_RUNBOOKS; default runbooks)");
  cmd->add_option("--jwks", flags->jwks, "Token verification keys: JWKS file or https:// URL");
  cmd->add_option("--issuer", flags->issuer, "The issuer the keys belong to");
  cmd->add_option("--audience", flags->audience, "Accepted audience (default trailbook)");
  cmd->add_option("--alg", flags->algs, "Allowed algorithms (default: those of the keys)")->delimiter(',');
  cmd->add_option("--ca-file", flags->ca_file, "PEM CA bundle for an https:// JWKS");
  cmd->add_option("--tls-cert", flags->tls_cert, "PEM certificate chain (TLS on with --tls-key)");
  cmd->add_option("--tls-key", flags->tls_key, "PEM private key");
  cmd->add_option("--snapshot-key", flags->snapshot_key, "Key that signs snapshots (trailbook keygen; 0600)");
  cmd->add_option("--audit-digest-key", flags->audit_digest_key,
                  "Key that signs audit digests (trailbook keygen; 0600)");
  cmd->add_option("--trusted-proxy", flags->trusted_proxies,
                  "Address or CIDR whose X-Forwarded-For is believed (repeatable)");
  cmd->add_option("--limit", flags->limits,
                  "A server limit as name=value, e.g. max_body_bytes=65536 (repeatable; docs/server.md)");
  cmd->add_option("--audit-fold", flags->audit_fold,
                  "An audit fold setting as key=value, e.g. audit_fold_max_age_s=30 "
                  "(repeatable; the audit_fold_*/audit_compact_segments keys of docs/server.md)");
  cmd->callback([flags, &action] { action = [flags] { return RunServe(*flags); }; });
}

}  // namespace trailbook::cli
