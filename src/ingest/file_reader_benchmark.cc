// Throughput of the input readers on generated CloudTrail data, in decompressed JSON bytes per
// second. The typical S3 delivery file holds ~90 events (~100 KB of JSON, ~10 KB gzipped);
// BM_GunzipOnly is the libdeflate floor the reader adds its work to.
//
//   build/src/ingest/file_reader_benchmark --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <libdeflate.h>

#include <cstdio>
#include <random>
#include <string>

#include "ingest/file_reader.h"
#include "ingest/gzip_testing.h"

namespace trailbook::ingest {
namespace {

// Builds one realistic event (~1.1 KB): nested identity, request parameters, random ids, so
// that gzip compresses it about as well as real CloudTrail data.
std::string MakeEvent(std::mt19937_64& rng, int i) {
  auto hex = [&](int n) {
    static const char kDigits[] = "0123456789abcdef";
    std::string s;
    for (int k = 0; k < n; ++k) s += kDigits[rng() % 16];
    return s;
  };
  const char* names[] = {"GetObject",   "PutObject", "AssumeRole",      "DescribeInstances",
                         "ListBuckets", "Decrypt",   "GenerateDataKey", "CreateLogStream"};
  std::string name = names[rng() % 8];
  char time[32];
  std::snprintf(time, sizeof(time), "2024-03-%02d T%02d:%02d:%02dZ", 1 + i % 28, i % 24,
                static_cast<int>(rng() % 60), static_cast<int>(rng() % 60));
  time[10] = 'T';
  std::string t(time, 20);
  return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":"
         "\"AROA" +
         hex(16) + ":session-" + hex(6) +
         "\",\"arn\":\"arn:aws:sts::123456789012:"
         "assumed-role/app-role-" +
         std::to_string(rng() % 20) + "/session-" + hex(6) +
         "\",\"accountId\":\"123456789012\",\"accessKeyId\":\"ASIA" + hex(16) +
         "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROA" +
         hex(16) +
         "\",\"arn\":\"arn:aws:iam::123456789012:role/app-role\",\"accountId\":"
         "\"123456789012\",\"userName\":\"app-role\"},\"attributes\":{\"creationDate\":\"" +
         t + "\",\"mfaAuthenticated\":\"false\"}}},\"eventTime\":\"" + t +
         "\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"" + name +
         "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10." + std::to_string(rng() % 256) +
         "." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) +
         "\",\"userAgent\":\"[aws-sdk-java/1.12." + std::to_string(rng() % 500) +
         " Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.8]\",\"requestParameters\":{\"bucketName\":"
         "\"data-" +
         std::to_string(rng() % 50) + "\",\"key\":\"prefix/" + hex(24) +
         ".parquet\",\"Host\":\"data.s3.us-east-1.amazonaws.com\"},\"responseElements\":null,"
         "\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"bytesTransferredOut\":" +
         std::to_string(rng() % 100000) + ",\"x-amz-id-2\":\"" + hex(40) + "\"},\"requestID\":\"" +
         hex(16) + "\",\"eventID\":\"" + hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" +
         hex(12) +
         "\",\"readOnly\":true,\"resources\":[{\"type\":\"AWS::S3::Object\","
         "\"ARN\":\"arn:aws:s3:::data/prefix\"}],\"eventType\":\"AwsApiCall\","
         "\"managementEvent\":false,\"recipientAccountId\":\"123456789012\",\"eventCategory\":"
         "\"Data\"}";
}

std::string MakeRecordsFile(int events, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s = "{\"Records\":[";
  for (int i = 0; i < events; ++i) {
    if (i > 0) s += ',';
    s += MakeEvent(rng, i);
  }
  return s + "]}";
}

std::string MakeNdjson(int events, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s;
  for (int i = 0; i < events; ++i) s += MakeEvent(rng, i) + "\n";
  return s;
}

// Counts records and touches their first byte, as a sink that parses them would.
class CountingSink final : public RecordSink {
 public:
  Status OnRecord(const RecordRef& r) override {
    ++records;
    checksum += static_cast<unsigned char>(r.json[r.json.size() / 2]);
    return Status::OK();
  }
  void OnRecordError(uint64_t, uint64_t, std::string_view) override { ++errors; }
  uint64_t records = 0;
  uint64_t errors = 0;
  uint64_t checksum = 0;
};

void Run(benchmark::State& state, const std::string& bytes, const ReaderLimits& limits) {
  FileReader reader(limits);
  CountingSink sink;
  FileInfo info;
  for (auto _ : state) {
    Status s = reader.ReadBytes("bench", bytes, sink, &info);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    benchmark::DoNotOptimize(sink.checksum);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(info.json_bytes));
  state.counters["records"] = static_cast<double>(info.records);
  state.counters["json_bytes"] = static_cast<double>(info.json_bytes);
  state.counters["gz_bytes"] = static_cast<double>(info.compressed_bytes);
}

// A typical delivery file: 87 events, ~100 KB of JSON.
void BM_ReadRecordsGzip(benchmark::State& state) {
  static const std::string gz = GzipForTesting(MakeRecordsFile(87, 1));
  Run(state, gz, ReaderLimits{});
}
BENCHMARK(BM_ReadRecordsGzip);

void BM_ReadRecordsPlain(benchmark::State& state) {
  static const std::string json = MakeRecordsFile(87, 1);
  Run(state, json, ReaderLimits{});
}
BENCHMARK(BM_ReadRecordsPlain);

void BM_ReadNdjsonPlain(benchmark::State& state) {
  static const std::string json = MakeNdjson(1000, 2);
  Run(state, json, ReaderLimits{});
}
BENCHMARK(BM_ReadNdjsonPlain);

// The streaming path (zlib, 4 MiB windows) on 8 MB of gzipped NDJSON.
void BM_ReadNdjsonGzipStreaming(benchmark::State& state) {
  static const std::string gz = GzipForTesting(MakeNdjson(8000, 3));
  ReaderLimits limits;
  limits.whole_buffer_bytes = 1 << 20;
  Run(state, gz, limits);
}
BENCHMARK(BM_ReadNdjsonGzipStreaming);

// The floor: libdeflate alone on the same typical file.
void BM_GunzipOnly(benchmark::State& state) {
  static const std::string json = MakeRecordsFile(87, 1);
  static const std::string gz = GzipForTesting(json);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(json.size(), '\0');
  for (auto _ : state) {
    size_t n = 0;
    libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n);
    benchmark::DoNotOptimize(out.data());
  }
  libdeflate_free_decompressor(d);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_GunzipOnly);

}  // namespace
}  // namespace trailbook::ingest

BENCHMARK_MAIN();
