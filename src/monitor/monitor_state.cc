#include "monitor/monitor_state.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>

#include "base/timestamp.h"
#include "io/file.h"
#include "json/json_writer.h"

namespace trailbook::monitor {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

void WriteCell(json::JsonWriter& w, const Cell& cell) {
  w.BeginArray();
  w.Int(static_cast<int64_t>(cell.type));
  switch (cell.type) {
    case CellType::kNull: break;
    case CellType::kBool:
    case CellType::kInt:
    case CellType::kTimestamp: w.Int(cell.int_value); break;
    case CellType::kDouble: w.Double(cell.double_value); break;
    case CellType::kString: w.String(cell.text); break;
  }
  w.EndArray();
}

void WriteRow(json::JsonWriter& w, const DetectionRow& row) {
  w.BeginArray();
  for (const auto& [name, cell] : row.fields) {
    w.BeginArray();
    w.String(name);
    WriteCell(w, cell);
    w.EndArray();
  }
  w.EndArray();
}

void WriteRows(json::JsonWriter& w, const std::vector<DetectionRow>& rows) {
  w.BeginArray();
  for (const DetectionRow& r : rows) WriteRow(w, r);
  w.EndArray();
}

// Writes a row as a JSON object for alert payloads (typed values, timestamps as RFC 3339).
void WriteRowObject(json::JsonWriter& w, const DetectionRow& row) {
  w.BeginObject();
  for (const auto& [name, cell] : row.fields) {
    w.Key(name);
    switch (cell.type) {
      case CellType::kNull: w.Null(); break;
      case CellType::kBool: w.Bool(cell.int_value != 0); break;
      case CellType::kInt: w.Int(cell.int_value); break;
      case CellType::kDouble: w.Double(cell.double_value); break;
      case CellType::kString: w.String(cell.text); break;
      case CellType::kTimestamp: w.String(FormatTimestamp(cell.int_value)); break;
    }
  }
  w.EndObject();
}

Status Bad(std::string_view what) {
  return Corruption("monitor state: bad or missing field '" + std::string(what) + "'");
}

template <typename T>
Result<T> Get(const element& e, std::string_view what) {
  T value;
  if (e.get(value) != simdjson::SUCCESS) return Bad(what);
  return value;
}

Result<element> Field(const object& o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return Bad(key);
  return e;
}

Result<int64_t> IntField(const object& o, std::string_view key) {
  TB_ASSIGN_OR_RETURN(element e, Field(o, key));
  return Get<int64_t>(e, key);
}

Result<std::string> StringField(const object& o, std::string_view key) {
  TB_ASSIGN_OR_RETURN(element e, Field(o, key));
  TB_ASSIGN_OR_RETURN(std::string_view s, Get<std::string_view>(e, key));
  return std::string(s);
}

Result<Cell> ReadCell(const element& e) {
  TB_ASSIGN_OR_RETURN(array a, Get<array>(e, "cell"));
  if (a.size() < 1) return Bad("cell");
  TB_ASSIGN_OR_RETURN(int64_t type, Get<int64_t>(a.at(0).value_unsafe(), "cell type"));
  Cell cell;
  if (type < 0 || type > static_cast<int64_t>(CellType::kTimestamp)) return Bad("cell type");
  cell.type = static_cast<CellType>(type);
  if (cell.type == CellType::kNull) return cell;
  if (a.size() != 2) return Bad("cell value");
  element v = a.at(1).value_unsafe();
  switch (cell.type) {
    case CellType::kNull: break;
    case CellType::kBool:
    case CellType::kInt:
    case CellType::kTimestamp: {
      TB_ASSIGN_OR_RETURN(cell.int_value, Get<int64_t>(v, "cell value"));
      break;
    }
    case CellType::kDouble: {
      TB_ASSIGN_OR_RETURN(cell.double_value, Get<double>(v, "cell value"));
      break;
    }
    case CellType::kString: {
      TB_ASSIGN_OR_RETURN(std::string_view s, Get<std::string_view>(v, "cell value"));
      cell.text = std::string(s);
      break;
    }
  }
  return cell;
}

Result<DetectionRow> ReadRow(const element& e) {
  TB_ASSIGN_OR_RETURN(array a, Get<array>(e, "row"));
  DetectionRow row;
  for (element field : a) {
    TB_ASSIGN_OR_RETURN(array pair, Get<array>(field, "row field"));
    if (pair.size() != 2) return Bad("row field");
    TB_ASSIGN_OR_RETURN(std::string_view name,
                        Get<std::string_view>(pair.at(0).value_unsafe(), "row field name"));
    TB_ASSIGN_OR_RETURN(Cell cell, ReadCell(pair.at(1).value_unsafe()));
    row.fields.emplace_back(std::string(name), std::move(cell));
  }
  return row;
}

Result<std::vector<DetectionRow>> ReadRows(const element& e) {
  TB_ASSIGN_OR_RETURN(array a, Get<array>(e, "rows"));
  std::vector<DetectionRow> rows;
  for (element r : a) {
    TB_ASSIGN_OR_RETURN(DetectionRow row, ReadRow(r));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<std::string>> ReadStrings(const element& e, std::string_view what) {
  TB_ASSIGN_OR_RETURN(array a, Get<array>(e, what));
  std::vector<std::string> out;
  for (element s : a) {
    TB_ASSIGN_OR_RETURN(std::string_view v, Get<std::string_view>(s, what));
    out.emplace_back(v);
  }
  return out;
}

Result<RuleState> ReadRuleState(const object& o, int64_t version) {
  RuleState rs;
  TB_ASSIGN_OR_RETURN(rs.watermark_us, IntField(o, "watermark"));
  // Absent in states written before incremental detection: 0 reads every segment once, and
  // the row ids of the cache drop what the previous runs already counted.
  if (element position; o.at_key("ingest_position").get(position) == simdjson::SUCCESS) {
    TB_ASSIGN_OR_RETURN(rs.ingest_position, Get<uint64_t>(position, "ingest_position"));
  }
  if (version == 1) {
    // Version 1 kept full rows: each becomes a compact row with every cell stored.
    TB_ASSIGN_OR_RETURN(element rows, Field(o, "rows"));
    TB_ASSIGN_OR_RETURN(array rows_array, Get<array>(rows, "rows"));
    for (element r : rows_array) {
      TB_ASSIGN_OR_RETURN(object ro, Get<object>(r, "rows[]"));
      RememberedRow remembered;
      TB_ASSIGN_OR_RETURN(remembered.id, StringField(ro, "id"));
      TB_ASSIGN_OR_RETURN(remembered.time_us, IntField(ro, "time"));
      TB_ASSIGN_OR_RETURN(std::string group, StringField(ro, "group"));
      TB_ASSIGN_OR_RETURN(element consumed, Field(ro, "consumed"));
      TB_ASSIGN_OR_RETURN(remembered.consumed, Get<bool>(consumed, "consumed"));
      TB_ASSIGN_OR_RETURN(element row_e, Field(ro, "row"));
      TB_ASSIGN_OR_RETURN(DetectionRow row, ReadRow(row_e));
      RowSchema schema;
      for (auto& [name, cell] : row.fields) {
        schema.columns.emplace_back(name, static_cast<uint8_t>(ColumnRole::kStored));
        remembered.cells.push_back(std::move(cell));
      }
      remembered.schema = rs.SchemaIndex(std::move(schema));
      rs.groups[group].rows.push_back(std::move(remembered));
    }
  } else {
    TB_ASSIGN_OR_RETURN(element schemas, Field(o, "schemas"));
    TB_ASSIGN_OR_RETURN(array schemas_array, Get<array>(schemas, "schemas"));
    for (element sc : schemas_array) {
      TB_ASSIGN_OR_RETURN(array columns, Get<array>(sc, "schemas[]"));
      RowSchema schema;
      for (element column : columns) {
        TB_ASSIGN_OR_RETURN(array pair, Get<array>(column, "schemas[] column"));
        if (pair.size() != 2) return Bad("schemas[] column");
        TB_ASSIGN_OR_RETURN(std::string_view name,
                            Get<std::string_view>(pair.at(0).value_unsafe(), "column name"));
        TB_ASSIGN_OR_RETURN(uint64_t role, Get<uint64_t>(pair.at(1).value_unsafe(), "column role"));
        if (role > 255) return Bad("column role");
        schema.columns.emplace_back(std::string(name), static_cast<uint8_t>(role));
      }
      rs.schemas.push_back(std::move(schema));
    }
    if (rs.schemas.size() > 65535) return Bad("schemas");
    TB_ASSIGN_OR_RETURN(element groups, Field(o, "groups"));
    TB_ASSIGN_OR_RETURN(array groups_array, Get<array>(groups, "groups"));
    for (element g : groups_array) {
      TB_ASSIGN_OR_RETURN(array pair, Get<array>(g, "groups[]"));
      // [key, rows] or, from version 3, [key, rows, tallies].
      if (pair.size() != 2 && (pair.size() != 3 || version < 3)) return Bad("groups[]");
      TB_ASSIGN_OR_RETURN(std::string_view key,
                          Get<std::string_view>(pair.at(0).value_unsafe(), "group key"));
      const size_t key_parts =
          static_cast<size_t>(std::count(key.begin(), key.end(), '\x1f')) + 1;
      TB_ASSIGN_OR_RETURN(array rows_array, Get<array>(pair.at(1).value_unsafe(), "group rows"));
      RowGroup& group = rs.groups[std::string(key)];
      for (element r : rows_array) {
        // [time, id, consumed, schema, derived, cell...]
        TB_ASSIGN_OR_RETURN(array fields, Get<array>(r, "group row"));
        if (fields.size() < 5) return Bad("group row");
        RememberedRow row;
        auto it = fields.begin();
        TB_ASSIGN_OR_RETURN(row.time_us, Get<int64_t>(*it, "row time"));
        ++it;
        TB_ASSIGN_OR_RETURN(std::string_view id, Get<std::string_view>(*it, "row id"));
        row.id = std::string(id);
        ++it;
        TB_ASSIGN_OR_RETURN(bool consumed, Get<bool>(*it, "row consumed"));
        row.consumed = consumed;
        ++it;
        TB_ASSIGN_OR_RETURN(uint64_t schema, Get<uint64_t>(*it, "row schema"));
        ++it;
        TB_ASSIGN_OR_RETURN(uint64_t derived, Get<uint64_t>(*it, "row derived"));
        ++it;
        if (schema == kNoEvidence) {
          // A consumed row kept without its evidence: time and id only.
          if (!row.consumed || derived != 0 || it != fields.end()) return Bad("row schema");
          row.schema = kNoEvidence;
          group.rows.push_back(std::move(row));
          continue;
        }
        if (schema >= rs.schemas.size()) return Bad("row schema");
        row.schema = static_cast<uint16_t>(schema);
        const auto& columns = rs.schemas[row.schema].columns;
        size_t derived_count = 0;
        for (size_t i = 0; i < 64; ++i) {
          if (((derived >> i) & 1u) == 0) continue;
          if (i >= columns.size() || i >= 32 ||
              columns[i].second == static_cast<uint8_t>(ColumnRole::kStored)) {
            return Bad("row derived");
          }
          if (columns[i].second >= static_cast<uint8_t>(ColumnRole::kGroupPart) &&
              columns[i].second - static_cast<size_t>(ColumnRole::kGroupPart) >= key_parts) {
            return Bad("row derived");
          }
          ++derived_count;
        }
        row.derived = static_cast<uint32_t>(derived);
        for (; it != fields.end(); ++it) {
          TB_ASSIGN_OR_RETURN(Cell cell, ReadCell(*it));
          row.cells.push_back(std::move(cell));
        }
        if (row.cells.size() + derived_count != columns.size()) return Bad("row cells");
        group.rows.push_back(std::move(row));
      }
      if (pair.size() == 3) {
        // Flat [time delta, unconsumed, consumed, ...], times ascending, the first delta from 0.
        TB_ASSIGN_OR_RETURN(array flat, Get<array>(pair.at(2).value_unsafe(), "group tallies"));
        std::vector<int64_t> numbers;
        for (element n : flat) {
          TB_ASSIGN_OR_RETURN(int64_t v, Get<int64_t>(n, "group tallies"));
          numbers.push_back(v);
        }
        if (numbers.empty() || numbers.size() % 3 != 0) return Bad("group tallies");
        int64_t time_us = 0;
        constexpr int64_t kMaxCount = std::numeric_limits<uint32_t>::max();
        for (size_t i = 0; i < numbers.size(); i += 3) {
          if ((i > 0 && numbers[i] <= 0) || numbers[i + 1] < 0 || numbers[i + 2] < 0 ||
              numbers[i + 1] > kMaxCount || numbers[i + 2] > kMaxCount ||
              numbers[i + 1] + numbers[i + 2] == 0 ||
              __builtin_add_overflow(time_us, numbers[i], &time_us)) {
            return Bad("group tallies");
          }
          group.tallies.push_back(TimeTally{time_us, static_cast<uint32_t>(numbers[i + 1]),
                                            static_cast<uint32_t>(numbers[i + 2])});
        }
      }
      if (group.rows.empty() && group.tallies.empty()) return Bad("group rows");
    }
    if (element e; o.at_key("keys_evicted").get(e) == simdjson::SUCCESS) {
      TB_ASSIGN_OR_RETURN(rs.keys_evicted, Get<uint64_t>(e, "keys_evicted"));
    }
    if (element e; o.at_key("rows_evicted").get(e) == simdjson::SUCCESS) {
      TB_ASSIGN_OR_RETURN(rs.rows_evicted, Get<uint64_t>(e, "rows_evicted"));
    }
    if (element e; o.at_key("evidence_dropped").get(e) == simdjson::SUCCESS) {
      TB_ASSIGN_OR_RETURN(rs.evidence_dropped, Get<uint64_t>(e, "evidence_dropped"));
    }
  }
  for (auto& [key, group] : rs.groups) {
    std::sort(group.rows.begin(), group.rows.end(), RememberedRowLess);
  }
  TB_ASSIGN_OR_RETURN(element pending, Field(o, "pending"));
  TB_ASSIGN_OR_RETURN(array pending_array, Get<array>(pending, "pending"));
  for (element p : pending_array) {
    TB_ASSIGN_OR_RETURN(object po, Get<object>(p, "pending[]"));
    PendingCandidate c;
    TB_ASSIGN_OR_RETURN(c.id, StringField(po, "id"));
    TB_ASSIGN_OR_RETURN(c.dedup_value, StringField(po, "dedup"));
    TB_ASSIGN_OR_RETURN(c.group_key, StringField(po, "group"));
    TB_ASSIGN_OR_RETURN(c.created_us, IntField(po, "created"));
    TB_ASSIGN_OR_RETURN(c.due_us, IntField(po, "due"));
    TB_ASSIGN_OR_RETURN(c.window_start_us, IntField(po, "window_start"));
    TB_ASSIGN_OR_RETURN(c.window_end_us, IntField(po, "window_end"));
    TB_ASSIGN_OR_RETURN(int64_t count, IntField(po, "row_count"));
    c.row_count = static_cast<uint64_t>(count);
    TB_ASSIGN_OR_RETURN(element rows_e, Field(po, "rows"));
    TB_ASSIGN_OR_RETURN(c.rows, ReadRows(rows_e));
    if (element e; po.at_key("rows_without_evidence").get(e) == simdjson::SUCCESS) {
      TB_ASSIGN_OR_RETURN(c.rows_without_evidence, Get<uint64_t>(e, "rows_without_evidence"));
    }
    // A candidate has rows with evidence unless the row budget kept all of them as counts.
    if (c.rows.empty() && c.rows_without_evidence == 0) return Bad("pending.rows");
    rs.pending.push_back(std::move(c));
  }
  TB_ASSIGN_OR_RETURN(element open, Field(o, "open"));
  TB_ASSIGN_OR_RETURN(array open_array, Get<array>(open, "open"));
  for (element a : open_array) {
    TB_ASSIGN_OR_RETURN(object ao, Get<object>(a, "open[]"));
    OpenAlert alert;
    TB_ASSIGN_OR_RETURN(std::string dedup, StringField(ao, "dedup"));
    TB_ASSIGN_OR_RETURN(alert.alert_id, StringField(ao, "alert_id"));
    TB_ASSIGN_OR_RETURN(alert.created_us, IntField(ao, "created"));
    TB_ASSIGN_OR_RETURN(alert.last_candidate_us, IntField(ao, "last_candidate"));
    TB_ASSIGN_OR_RETURN(alert.suppress_until_us, IntField(ao, "suppress_until"));
    TB_ASSIGN_OR_RETURN(int64_t suppressed, IntField(ao, "suppressed"));
    alert.suppressed = static_cast<uint64_t>(suppressed);
    TB_ASSIGN_OR_RETURN(element last_row, Field(ao, "last_row"));
    TB_ASSIGN_OR_RETURN(alert.last_row, ReadRow(last_row));
    rs.open.emplace(std::move(dedup), std::move(alert));
  }
  TB_ASSIGN_OR_RETURN(element suppress, Field(o, "suppress_until"));
  TB_ASSIGN_OR_RETURN(object suppress_object, Get<object>(suppress, "suppress_until"));
  for (auto [key, value] : suppress_object) {
    TB_ASSIGN_OR_RETURN(int64_t until, Get<int64_t>(value, "suppress_until"));
    rs.suppress_until.emplace(std::string(key), until);
  }
  return rs;
}

}  // namespace

std::string EncodeMonitorState(const MonitorState& state) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("version");
  w.Int(kMonitorStateVersion);
  w.Key("runs");
  w.UInt(state.runs);
  w.Key("rules");
  w.BeginObject();
  for (const auto& [id, rs] : state.engine.rules) {
    w.Key(id);
    w.BeginObject();
    w.Key("watermark");
    w.Int(rs.watermark_us);
    w.Key("ingest_position");
    w.UInt(rs.ingest_position);
    w.Key("keys_evicted");
    w.UInt(rs.keys_evicted);
    w.Key("rows_evicted");
    w.UInt(rs.rows_evicted);
    w.Key("evidence_dropped");
    w.UInt(rs.evidence_dropped);
    w.Key("schemas");
    w.BeginArray();
    for (const RowSchema& schema : rs.schemas) {
      w.BeginArray();
      for (const auto& [name, role] : schema.columns) {
        w.BeginArray();
        w.String(name);
        w.UInt(role);
        w.EndArray();
      }
      w.EndArray();
    }
    w.EndArray();
    w.Key("groups");
    w.BeginArray();
    for (const auto& [key, group] : rs.groups) {
      w.BeginArray();
      w.String(key);
      w.BeginArray();
      for (const RememberedRow& row : group.rows) {
        w.BeginArray();
        w.Int(row.time_us);
        w.String(row.id);
        w.Bool(row.consumed);
        w.UInt(row.schema);
        w.UInt(row.derived);
        for (const Cell& cell : row.cells) WriteCell(w, cell);
        w.EndArray();
      }
      w.EndArray();
      if (!group.tallies.empty()) {
        w.BeginArray();
        int64_t previous = 0;
        for (const TimeTally& t : group.tallies) {
          w.Int(t.time_us - previous);
          w.UInt(t.unconsumed);
          w.UInt(t.consumed);
          previous = t.time_us;
        }
        w.EndArray();
      }
      w.EndArray();
    }
    w.EndArray();
    w.Key("pending");
    w.BeginArray();
    for (const PendingCandidate& c : rs.pending) {
      w.BeginObject();
      w.Key("id");
      w.String(c.id);
      w.Key("dedup");
      w.String(c.dedup_value);
      w.Key("group");
      w.String(c.group_key);
      w.Key("created");
      w.Int(c.created_us);
      w.Key("due");
      w.Int(c.due_us);
      w.Key("window_start");
      w.Int(c.window_start_us);
      w.Key("window_end");
      w.Int(c.window_end_us);
      w.Key("row_count");
      w.UInt(c.row_count);
      w.Key("rows");
      WriteRows(w, c.rows);
      if (c.rows_without_evidence > 0) {
        w.Key("rows_without_evidence");
        w.UInt(c.rows_without_evidence);
      }
      w.EndObject();
    }
    w.EndArray();
    w.Key("open");
    w.BeginArray();
    for (const auto& [dedup, open] : rs.open) {
      w.BeginObject();
      w.Key("dedup");
      w.String(dedup);
      w.Key("alert_id");
      w.String(open.alert_id);
      w.Key("created");
      w.Int(open.created_us);
      w.Key("last_candidate");
      w.Int(open.last_candidate_us);
      w.Key("suppress_until");
      w.Int(open.suppress_until_us);
      w.Key("suppressed");
      w.UInt(open.suppressed);
      w.Key("last_row");
      WriteRow(w, open.last_row);
      w.EndObject();
    }
    w.EndArray();
    w.Key("suppress_until");
    w.BeginObject();
    for (const auto& [dedup, until] : rs.suppress_until) {
      w.Key(dedup);
      w.Int(until);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  w.Key("outbox");
  w.BeginArray();
  for (const OutboxEntry& e : state.outbox) {
    w.BeginObject();
    w.Key("id");
    w.String(e.alert_id);
    w.Key("payload");
    w.String(e.payload);
    w.Key("pending_sinks");
    w.BeginArray();
    for (const std::string& s : e.pending_sinks) w.String(s);
    w.EndArray();
    w.Key("attempts");
    w.UInt(e.attempts);
    w.Key("next_attempt");
    w.Int(e.next_attempt_us);
    w.EndObject();
  }
  w.EndArray();
  w.Key("delivered");
  w.BeginArray();
  for (const std::string& id : state.delivered) w.String(id);
  w.EndArray();
  w.EndObject();
  return std::move(w).Take();
}

Result<MonitorState> DecodeMonitorState(std::string_view text) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    return Corruption("monitor state: not valid JSON");
  }
  TB_ASSIGN_OR_RETURN(object o, Get<object>(root, "state"));
  TB_ASSIGN_OR_RETURN(int64_t version, IntField(o, "version"));
  // 1: rows kept whole; 2: no tallies.
  if (version != 1 && version != 2 && version != kMonitorStateVersion) {
    return Corruption("monitor state: unsupported version " + std::to_string(version));
  }
  MonitorState state;
  TB_ASSIGN_OR_RETURN(int64_t runs, IntField(o, "runs"));
  state.runs = static_cast<uint64_t>(runs);
  TB_ASSIGN_OR_RETURN(element rules, Field(o, "rules"));
  TB_ASSIGN_OR_RETURN(object rules_object, Get<object>(rules, "rules"));
  for (auto [key, value] : rules_object) {
    TB_ASSIGN_OR_RETURN(object ro, Get<object>(value, "rules[]"));
    Result<RuleState> rs = ReadRuleState(ro, version);
    if (!rs.ok()) return rs.status().WithContext("rule " + std::string(key));
    state.engine.rules.emplace(std::string(key), std::move(rs).value());
  }
  TB_ASSIGN_OR_RETURN(element outbox, Field(o, "outbox"));
  TB_ASSIGN_OR_RETURN(array outbox_array, Get<array>(outbox, "outbox"));
  for (element e : outbox_array) {
    TB_ASSIGN_OR_RETURN(object eo, Get<object>(e, "outbox[]"));
    OutboxEntry entry;
    TB_ASSIGN_OR_RETURN(entry.alert_id, StringField(eo, "id"));
    TB_ASSIGN_OR_RETURN(entry.payload, StringField(eo, "payload"));
    TB_ASSIGN_OR_RETURN(element sinks, Field(eo, "pending_sinks"));
    TB_ASSIGN_OR_RETURN(entry.pending_sinks, ReadStrings(sinks, "pending_sinks"));
    TB_ASSIGN_OR_RETURN(int64_t attempts, IntField(eo, "attempts"));
    entry.attempts = static_cast<uint32_t>(attempts);
    TB_ASSIGN_OR_RETURN(entry.next_attempt_us, IntField(eo, "next_attempt"));
    state.outbox.push_back(std::move(entry));
  }
  TB_ASSIGN_OR_RETURN(element delivered, Field(o, "delivered"));
  TB_ASSIGN_OR_RETURN(std::vector<std::string> ids, ReadStrings(delivered, "delivered"));
  state.delivered.assign(ids.begin(), ids.end());
  return state;
}

Result<MonitorState> LoadMonitorState(const std::string& path) {
  if (!io::Exists(path)) return MonitorState{};
  TB_ASSIGN_OR_RETURN(std::string text, io::ReadFile(path));
  Result<MonitorState> state = DecodeMonitorState(text);
  if (!state.ok()) return state.status().WithContext(path);
  return state;
}

Status SaveMonitorState(const std::string& path, const MonitorState& state) {
  return io::WriteFileAtomic(path, EncodeMonitorState(state), 0600);
}

std::string AlertToJson(const Alert& alert) {
  json::JsonWriter w;
  w.BeginObject();
  w.Key("alert_id");
  w.String(alert.id);
  w.Key("status");
  w.String(alert.status == AlertStatus::kFiring ? "firing" : "resolved");
  w.Key("runbook");
  w.BeginObject();
  w.Key("id");
  w.String(alert.runbook_id);
  w.Key("version");
  w.String(alert.runbook_version);
  w.EndObject();
  w.Key("severity");
  w.String(alert.severity);
  w.Key("dedup_key");
  w.String(alert.dedup_key);
  w.Key("created");
  w.String(FormatTimestamp(alert.created_us));
  w.Key("window_start");
  w.String(FormatTimestamp(alert.window_start_us));
  w.Key("window_end");
  w.String(FormatTimestamp(alert.window_end_us));
  if (alert.status == AlertStatus::kFiring) {
    w.Key("row_count");
    w.UInt(alert.row_count);
    if (alert.rows_without_evidence > 0) {
      // "rows" holds rows.size() of row_count rows; these had only their counts kept.
      w.Key("rows_without_evidence");
      w.UInt(alert.rows_without_evidence);
    }
    w.Key("rows");
    w.BeginArray();
    for (const DetectionRow& r : alert.rows) WriteRowObject(w, r);
    w.EndArray();
    w.Key("confirm_rows");
    w.BeginArray();
    for (const DetectionRow& r : alert.confirm_rows) WriteRowObject(w, r);
    w.EndArray();
  } else {
    w.Key("suppressed_candidates");
    w.UInt(alert.suppressed);
  }
  w.Key("snapshot_id");
  if (alert.snapshot_id.empty()) {
    w.Null();
  } else {
    w.String(alert.snapshot_id);
  }
  w.Key("link");
  w.String(alert.link);
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace trailbook::monitor
