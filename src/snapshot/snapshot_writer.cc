#include "snapshot/snapshot_writer.h"

#include <libdeflate.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "base/status.h"
#include "crypto/digest.h"
#include "io/file.h"
#include "json/json_writer.h"
#include "sql/exec/query_engine.h"
#include "sql/exec/result_writer.h"

namespace trailbook::snapshot {
namespace {

// Snapshot files are evidence: nobody, the owner included, should edit them in place.
constexpr uint32_t kFileMode = 0444;

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One gzip output file written as a sequence of gzip members (RFC 1952 section 2.2), each
// holding up to member_bytes of text, so the file streams with bounded memory and still
// decompresses with plain gunzip / zcat.
struct GzipOutput {
  std::string name;
  std::string format;
  std::unique_ptr<io::AppendFile> file;
  std::string pending;      // text not yet compressed
  std::string compressed;   // reused member buffer
  crypto::Sha256Hasher hasher;
  uint64_t bytes = 0;
  bool wrote_member = false;

  Status FlushMember(libdeflate_compressor* compressor) {
    size_t bound = libdeflate_gzip_compress_bound(compressor, pending.size());
    compressed.resize(bound);
    size_t n = libdeflate_gzip_compress(compressor, pending.data(), pending.size(),
                                        compressed.data(), compressed.size());
    if (n == 0) return Internal("gzip compression of " + name + " failed");
    std::string_view member(compressed.data(), n);
    TB_RETURN_IF_ERROR(file->Append(member));
    hasher.Update(member);
    bytes += n;
    pending.clear();
    wrote_member = true;
    return Status::OK();
  }
};

Status WriteDurable(const std::string& path, std::string_view contents) {
  TB_ASSIGN_OR_RETURN(std::unique_ptr<io::AppendFile> file, io::AppendFile::Open(path, kFileMode));
  TB_RETURN_IF_ERROR(file->Append(contents));
  return file->Sync();
}

std::string RenderSignatureFile(const SnapshotManifest& m, const std::string& manifest_sha256,
                                const std::string& signature) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("files");
  w.BeginArray();
  auto file = [&w](std::string_view name, std::string_view hash) {
    w.BeginObject();
    w.Key("fileHash");
    w.String(hash);
    w.Key("fileName");
    w.String(name);
    w.EndObject();
  };
  file(kManifestFile, manifest_sha256);
  for (const FileEntry& f : m.files) file(f.name, f.sha256);
  w.EndArray();
  w.Key("hashAlgorithm");
  w.String("SHA-256");
  w.Key("keyId");
  w.String(m.signing.key_id);
  w.Key("publicKeyFingerprint");
  w.String(m.signing.public_key_sha256);
  w.Key("signature");
  w.String(Base64Encode(signature));
  w.Key("signatureAlgorithm");
  std::optional<auth::JwsAlgorithm> alg = auth::ParseJwsAlgorithm(m.signing.alg);
  w.String(alg ? SignatureAlgorithmName(*alg) : "");
  w.Key("signedFile");
  w.String(kManifestFile);
  w.Key("snapshotId");
  w.String(m.snapshot_id);
  w.Key("version");
  w.Int(kSnapshotFormatVersion);
  w.EndObject();
  std::string out = std::move(w).Take();
  out.push_back('\n');
  return out;
}

}  // namespace

struct SnapshotWriter::State {
  std::string snapshots_dir;
  std::string id;
  std::string tmp_dir;
  std::string final_dir;
  SnapshotRequest request;
  std::vector<std::string> names;
  std::vector<sql::LogicalType> types;
  const SnapshotSigningKey* key = nullptr;
  SnapshotWriterOptions options;
  int64_t created_us = 0;
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor;
  std::unique_ptr<sql::ResultWriter> ndjson_writer;
  std::unique_ptr<sql::ResultWriter> csv_writer;
  GzipOutput ndjson;
  GzipOutput csv;
  crypto::Sha256Hasher result_hasher;
  uint64_t rows = 0;
  bool committed = false;
  std::optional<SnapshotInfo> sealed;  // set by Seal, until Publish
  bool failed = false;
};

std::string SnapshotsDir(const std::string& store_dir) { return store_dir + "/snapshots"; }

SnapshotWriter::SnapshotWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}

SnapshotWriter::~SnapshotWriter() {
  if (state_ == nullptr || state_->committed) return;
  state_->ndjson.file.reset();
  state_->csv.file.reset();
  std::error_code ignored;
  std::filesystem::remove_all(state_->tmp_dir, ignored);
}

const std::string& SnapshotWriter::id() const { return state_->id; }

Result<std::unique_ptr<SnapshotWriter>> SnapshotWriter::Create(
    const std::string& snapshots_dir, SnapshotRequest request, std::vector<std::string> names,
    std::vector<sql::LogicalType> types, const SnapshotSigningKey& key,
    const SnapshotWriterOptions& options) {
  auto state = std::make_unique<State>();
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock();
  state->created_us = clock.NowMicros();
  TB_ASSIGN_OR_RETURN(state->id, NewSnapshotId(state->created_us));
  state->snapshots_dir = snapshots_dir;
  state->tmp_dir = snapshots_dir + "/.tmp-" + state->id;
  state->final_dir = snapshots_dir + "/" + state->id;
  state->request = std::move(request);
  state->names = std::move(names);
  state->types = std::move(types);
  state->key = &key;
  state->options = options;
  if (state->options.member_bytes == 0) state->options.member_bytes = 1;
  state->compressor.reset(libdeflate_alloc_compressor(options.compression_level));
  if (state->compressor == nullptr) {
    return InvalidArgument("bad gzip compression level " + std::to_string(options.compression_level));
  }
  state->ndjson_writer =
      std::make_unique<sql::ResultWriter>(sql::ResultFormat::kNdjson, state->names, state->types);
  state->csv_writer =
      std::make_unique<sql::ResultWriter>(sql::ResultFormat::kCsv, state->names, state->types);
  state->ndjson.name = kNdjsonFile;
  state->ndjson.format = "ndjson";
  state->csv.name = kCsvFile;
  state->csv.format = "csv";

  TB_RETURN_IF_ERROR(io::CreateDirectories(snapshots_dir));
  std::unique_ptr<SnapshotWriter> writer(new SnapshotWriter(std::move(state)));
  State& s = *writer->state_;
  TB_RETURN_IF_ERROR(io::CreateDirectories(s.tmp_dir));
  TB_ASSIGN_OR_RETURN(s.ndjson.file, io::AppendFile::Open(s.tmp_dir + "/" + kNdjsonFile, kFileMode));
  TB_ASSIGN_OR_RETURN(s.csv.file, io::AppendFile::Open(s.tmp_dir + "/" + kCsvFile, kFileMode));
  return writer;
}

Status SnapshotWriter::Append(const sql::DataChunk& chunk) {
  State& s = *state_;
  if (s.committed || s.failed) return Internal("snapshot writer used after Commit or an error");
  size_t before = s.ndjson.pending.size();
  s.ndjson_writer->Write(chunk, &s.ndjson.pending);
  s.result_hasher.Update(std::string_view(s.ndjson.pending).substr(before));
  s.csv_writer->Write(chunk, &s.csv.pending);
  s.rows += chunk.size;
  Status status;
  if (s.ndjson.pending.size() >= s.options.member_bytes) {
    status = s.ndjson.FlushMember(s.compressor.get());
  }
  if (status.ok() && s.csv.pending.size() >= s.options.member_bytes) {
    status = s.csv.FlushMember(s.compressor.get());
  }
  if (!status.ok()) s.failed = true;
  return status;
}

Result<SnapshotInfo> SnapshotWriter::Commit() {
  TB_RETURN_IF_ERROR(Seal().status());
  return Publish();
}

Result<SnapshotInfo> SnapshotWriter::Seal() {
  State& s = *state_;
  if (s.committed || s.failed || s.sealed) {
    return Internal("snapshot writer used after Seal, Commit or an error");
  }
  s.failed = true;  // until the end
  size_t before = s.ndjson.pending.size();
  s.ndjson_writer->Finish(&s.ndjson.pending);
  s.result_hasher.Update(std::string_view(s.ndjson.pending).substr(before));
  s.csv_writer->Finish(&s.csv.pending);
  for (GzipOutput* out : {&s.csv, &s.ndjson}) {
    if (!out->pending.empty() || !out->wrote_member) {
      TB_RETURN_IF_ERROR(out->FlushMember(s.compressor.get()));
    }
    TB_RETURN_IF_ERROR(out->file->Sync());
    out->file.reset();
  }

  SnapshotManifest m;
  m.snapshot_id = s.id;
  m.created_us = s.created_us;
  m.runbook = s.request.runbook;
  m.parameters_json = RenderParameters(s.request.parameters);
  m.principal = s.request.principal;
  m.constraints_json = RenderConstraints(s.request.constraints);
  m.store = s.request.store;
  for (size_t i = 0; i < s.names.size(); ++i) {
    m.columns.push_back(ColumnInfo{s.names[i], s.types[i].ToString()});
  }
  m.rows = s.rows;
  m.result_sha256 = crypto::ToHex(s.result_hasher.Finish());
  for (GzipOutput* out : {&s.csv, &s.ndjson}) {  // sorted by name
    m.files.push_back(
        FileEntry{out->name, out->format, "gzip", out->bytes, crypto::ToHex(out->hasher.Finish())});
  }
  m.signing.alg = std::string(auth::JwsAlgorithmName(s.key->alg()));
  m.signing.key_id = s.key->key_id();
  m.signing.public_key_sha256 = s.key->public_key_sha256();

  std::string manifest = RenderManifest(m);
  TB_ASSIGN_OR_RETURN(std::string signature, s.key->Sign(manifest));
  std::string manifest_sha256 = crypto::ToHex(crypto::Sha256(manifest));
  TB_RETURN_IF_ERROR(WriteDurable(s.tmp_dir + "/" + kManifestFile, manifest));
  TB_RETURN_IF_ERROR(WriteDurable(s.tmp_dir + "/" + kPublicKeyFile, s.key->public_key_pem()));
  // The signature file goes last: a directory without it never verifies.
  TB_RETURN_IF_ERROR(WriteDurable(s.tmp_dir + "/" + kSignatureFile,
                                  RenderSignatureFile(m, manifest_sha256, signature)));
  TB_RETURN_IF_ERROR(io::SyncDirectory(s.tmp_dir));
  s.failed = false;
  s.sealed = SnapshotInfo{s.id, s.final_dir, s.rows, m.result_sha256};
  return *s.sealed;
}

Result<SnapshotInfo> SnapshotWriter::Publish() {
  State& s = *state_;
  if (s.committed || s.failed || !s.sealed) {
    return Internal("snapshot writer: Publish needs a sealed, unpublished snapshot");
  }
  s.failed = true;  // until the rename
  TB_RETURN_IF_ERROR(io::RenameFile(s.tmp_dir, s.final_dir));
  s.committed = true;
  s.failed = false;
  TB_RETURN_IF_ERROR(io::SyncDirectory(s.snapshots_dir));
  return *s.sealed;
}

Result<SnapshotInfo> WriteSnapshot(const std::string& snapshots_dir, SnapshotRequest request,
                                   sql::QueryResult& result, const SnapshotSigningKey& key,
                                   const SnapshotWriterOptions& options) {
  TB_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotWriter> writer,
                      SnapshotWriter::Create(snapshots_dir, std::move(request),
                                             result.column_names(), result.column_types(), key,
                                             options));
  sql::DataChunk chunk;
  while (true) {
    TB_ASSIGN_OR_RETURN(bool more, result.Next(&chunk));
    if (!more) break;
    TB_RETURN_IF_ERROR(writer->Append(chunk));
  }
  return writer->Commit();
}

Result<std::string> ComputeResultDigest(sql::QueryResult& result) {
  sql::ResultWriter writer(sql::ResultFormat::kNdjson, result.column_names(), result.column_types());
  crypto::Sha256Hasher hasher;
  std::string text;
  sql::DataChunk chunk;
  while (true) {
    TB_ASSIGN_OR_RETURN(bool more, result.Next(&chunk));
    if (!more) break;
    writer.Write(chunk, &text);
    hasher.Update(text);
    text.clear();
  }
  writer.Finish(&text);
  hasher.Update(text);
  return crypto::ToHex(hasher.Finish());
}

}  // namespace trailbook::snapshot
