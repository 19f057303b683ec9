// bench/ingest gunzip baseline: how long libdeflate alone takes to gunzip every .json.gz
// under a directory, on one thread (the floor under any ingest of those files).
//   gunzip_baseline DIR  ->  {"files":N,"gzip_bytes":B,"json_bytes":J,"seconds":S}
#include <libdeflate.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "io/file.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: gunzip_baseline DIR\n");
    return 2;
  }
  auto files = trailbook::io::ListFilesRecursive(argv[1]);
  if (!files.ok()) {
    std::fprintf(stderr, "%s\n", files.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> inputs;
  uint64_t gz = 0;
  for (const std::string& f : *files) {
    if (!f.ends_with(".json.gz") || f.find("/CloudTrail-Digest/") != std::string::npos) continue;
    auto bytes = trailbook::io::ReadFile(f);
    if (!bytes.ok()) return 1;
    gz += bytes->size();
    inputs.push_back(std::move(*bytes));
  }
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(64 << 20, '\0');
  uint64_t json = 0;
  auto start = std::chrono::steady_clock::now();
  for (const std::string& in : inputs) {
    size_t n = 0;
    if (libdeflate_gzip_decompress(d, in.data(), in.size(), out.data(), out.size(), &n) !=
        LIBDEFLATE_SUCCESS) {
      std::fprintf(stderr, "gunzip failed\n");
      return 1;
    }
    json += n;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  libdeflate_free_decompressor(d);
  std::printf("{\"files\":%zu,\"gzip_bytes\":%llu,\"json_bytes\":%llu,\"seconds\":%.3f}\n",
              inputs.size(), static_cast<unsigned long long>(gz),
              static_cast<unsigned long long>(json), secs);
  return 0;
}
