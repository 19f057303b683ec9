#include "storage/store_stats.h"

#include <algorithm>
#include <set>

#include "storage/event_schema.h"

namespace trailbook::storage {
namespace {

Status CollectDictionary(const SegmentReader& seg, int column, std::set<std::string>* out) {
  if (seg.encoding(column) != ColumnEncoding::kDictionary) return Status::OK();
  TB_ASSIGN_OR_RETURN(auto dict, seg.GetDictionary(column));
  for (uint32_t code = 1; code <= dict->size(); ++code) out->emplace(dict->entry(code));
  return Status::OK();
}

}  // namespace

Result<StoreStats> ComputeStoreStats(const StoreSnapshot& snapshot) {
  const EventSchema& schema = EventSchema::Get();
  StoreStats stats;
  stats.eds_id = snapshot.store_id();
  stats.events = snapshot.row_count();
  stats.first_event_time = snapshot.min_time();
  stats.last_event_time = snapshot.max_time();
  stats.segments = snapshot.segments().size() + snapshot.journal_segments().size();
  stats.bytes = snapshot.bytes();
  stats.commits = snapshot.sequence();
  std::set<std::string> accounts, regions;
  int account_col = schema.ColumnByPath("recipientAccountId");
  int region_col = schema.ColumnByPath("awsRegion");
  for (const auto* list : {&snapshot.segments(), &snapshot.journal_segments()}) {
    for (const auto& seg : *list) {
      TB_RETURN_IF_ERROR(CollectDictionary(*seg, account_col, &accounts));
      TB_RETURN_IF_ERROR(CollectDictionary(*seg, region_col, &regions));
    }
  }
  stats.accounts.assign(accounts.begin(), accounts.end());
  stats.regions.assign(regions.begin(), regions.end());
  return stats;
}

std::vector<ColumnBytes> ComputeColumnBytes(const StoreSnapshot& snapshot) {
  const EventSchema& schema = EventSchema::Get();
  std::vector<ColumnBytes> out(schema.columns().size());
  for (size_t c = 0; c < out.size(); ++c) out[c].name = schema.columns()[c].name;
  std::vector<std::shared_ptr<const SegmentReader>> all = snapshot.segments();
  all.insert(all.end(), snapshot.journal_segments().begin(), snapshot.journal_segments().end());
  for (const auto& seg : all) {
    for (size_t c = 0; c < out.size(); ++c) {
      const ColumnMeta* meta = seg->column(static_cast<int>(c));
      if (meta == nullptr) continue;
      for (const ChunkRef& b : meta->blocks) out[c].data += b.length;
      out[c].dictionary += meta->dictionary.length;
      for (const ChunkRef& b : meta->index_chunks) out[c].index += b.length;
    }
  }
  std::sort(out.begin(), out.end(),
            [](const ColumnBytes& a, const ColumnBytes& b) { return a.total() > b.total(); });
  return out;
}

}  // namespace trailbook::storage
