// File: server/serve_config.h
//
// ServeConfig: everything `trailbook serve` needs, from trailbook.yaml, then environment
// variables, then flags (each later source overrides the earlier). The YAML file:
//
//   store: ./trailbook-data            # $TRAILBOOK_STORE
//   runbooks: ./runbooks               # $TRAILBOOK_RUNBOOKS
//   jwks: keys/jwks.json               # one issuer, shorthand ($TRAILBOOK_JWKS, ..._ISSUER,
//   issuer: https://idp.example/       #   ..._AUDIENCE); or a list under `issuers:`
//   audience: trailbook
//   algorithms: [ES256]
//   issuers:
//     - {issuer: https://idp.example/, jwks: https://idp.example/jwks.json,
//        audiences: [trailbook], algorithms: [ES256], typ: [trailbook+jwt, at+jwt]}
//   snapshot_key: keys/snapshot.key    # $TRAILBOOK_SNAPSHOT_KEY: signs snapshots (0600)
//   snapshot_jwks: keys/snapshots.jwks # retired snapshot keys that still verify
//   audit_digest_key: keys/audit.key   # $TRAILBOOK_AUDIT_DIGEST_KEY: signs audit digests
//   audit_digest_interval_s: 300
//   audit_fold_interval_s: 1          # check the audit journal tail; refresh (0: never)
//   audit_fold_tail_bytes: 8388608    # fold it when it holds this many bytes,
//   audit_fold_tail_batches: 256      #   or this many batch records (group commits),
//   audit_fold_max_age_s: 60          #   or has held events this long
//   audit_compact_segments: 32        # merge small audit segments at this count (0: never)
//   server: {listen: ..., limits: {...}, trusted_proxies: [...], tls_cert: .., tls_key: ..}
//
// Unknown keys are errors naming the file and line, so a typo never silently drops a
// setting. The `server:` section is ServerOptions (server_options.h).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "server/audit_folder.h"
#include "server/server_options.h"

namespace trailbook::server {

struct IssuerSettings {
  std::string issuer;
  std::string jwks;  // file path, or an https:// URL
  std::vector<std::string> audiences;
  std::vector<std::string> algorithms;  // empty: the algorithms of the loaded keys
  std::vector<std::string> typ;         // empty: trailbook+jwt
};

struct ServeConfig {
  ServerOptions server;
  std::string store_dir = "./trailbook-data";
  std::string runbooks_dir = "runbooks";
  std::vector<IssuerSettings> issuers;
  std::string jwks_ca_file;  // PEM bundle for https:// key sets
  std::string snapshot_key_file;
  std::string snapshot_jwks_file;
  std::string audit_digest_key_file;
  std::chrono::seconds audit_digest_interval{300};
  // How often the server re-reads the store and checks whether its audit journal is due
  // for a fold into store segments (server/audit_folder.h); 0 disables both.
  std::chrono::seconds audit_fold_interval{1};
  // When a check folds, and when it compacts the folded audit segments.
  AuditFoldPolicy audit_fold;
};

// Applies trailbook.yaml `yaml_text` (named `source` in errors) to `*config`. Errors:
// kInvalidArgument "source:line: key: problem".
Status ApplyServeYaml(std::string_view yaml_text, std::string_view source, ServeConfig* config);

// Applies one audit fold setting: `key` is one of the YAML keys audit_fold_interval_s,
// audit_fold_tail_bytes, audit_fold_tail_batches, audit_fold_max_age_s,
// audit_compact_segments; `text` its decimal value. Errors: kInvalidArgument "key:
// expected <range>, got '<text>'" (unknown key, not a number, out of range).
Status ApplyAuditFoldSetting(std::string_view key, std::string_view text, ServeConfig* config);
// Applies "key=value" as ApplyAuditFoldSetting (the --audit-fold flag). Errors as it.
Status ApplyAuditFoldAssignment(std::string_view assignment, ServeConfig* config);

// Applies one "name=value" server limit (the names of `server.limits` in the YAML), as the
// --limit flag and $TRAILBOOK_SERVER_LIMITS ("a=1,b=2") do. Errors: kInvalidArgument.
Status ApplyServerLimit(std::string_view assignment, ServerOptions* options);

// Checks what serving needs: at least one issuer with keys, TLS files in pairs, limits.
// Errors: kInvalidArgument naming the setting and how to give it.
Status ValidateServeConfig(const ServeConfig& config);

}  // namespace trailbook::server
