// File: storage/event_schema.h
//
// EventSchema: the CloudTrail event model of the store. It names every field trailbook knows
// (the CloudTrail Lake schema: typed scalars, the userIdentity/tlsDetails/addendum structs, and
// the free-form objects kept as JSON text), assigns each leaf a physical column, and gives each
// field a stable shape token used to rebuild the original event losslessly.
//
//   const EventSchema& schema = EventSchema::Get();
//   const SchemaField* f = schema.FindChild(kTopLevel, "eventName");
//   int col = schema.ColumnByPath("userIdentity.sessionContext.sessionIssuer.arn");
//
// Fields not in the schema are not lost: ingest keeps them verbatim in the per-event residual
// (see docs/format/segment.md, "Lossless events").
//
// Thread safety: immutable singleton; safe everywhere.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/bytes_equal.h"

namespace trailbook::storage {

// DO NOT CHANGE values: stored in segment footers (docs/format/segment.md).
enum class FieldKind : uint8_t {
  kStruct = 1,      // A JSON object with known children.
  kString = 2,      // A JSON string.
  kBool = 3,        // A JSON boolean.
  kTimestamp = 4,   // A JSON string holding an ISO-8601 instant (eventTime).
  kJsonObject = 5,  // A free-form JSON object kept as minified JSON text (a Lake map).
  kJsonArray = 6,   // A free-form JSON array kept as minified JSON text (resources).
  kJsonAny = 7,     // Any JSON value kept as minified JSON text.
};

// Physical column types. DO NOT CHANGE: stored in segment footers.
enum class ColumnType : uint8_t {
  kTimestamp = 1,  // int64 microseconds since the epoch.
  kBool = 2,
  kString = 3,     // UTF-8 text.
  kJson = 4,       // Minified JSON text (object or array).
};

// A field of the event model. Token ids are unique across the whole tree.
struct SchemaField {
  uint8_t token;          // Shape token, 1..kMaxFieldToken. DO NOT CHANGE: stored in shapes.
  std::string_view name;  // The JSON key, exact case.
  FieldKind kind;
  int parent;             // Index of the parent field, or kTopLevel.
  int column;             // Physical column for leaves, or -1 for structs.
  std::string path;       // Dotted path from the root, e.g. "userIdentity.arn".
  std::vector<int> children;  // Indexes of child fields (structs only), in canonical order.
};

// A physical column of a segment.
struct ColumnSpec {
  uint16_t id;            // DO NOT CHANGE: stored in segment footers.
  std::string name;       // Dotted path, or an internal name starting with '$'.
  ColumnType type;
  int field;              // Index of the SchemaField, or -1 for internal columns.
  bool needle_index;      // Whether segments carry an exact-match index for it.
};

inline constexpr int kTopLevel = -1;
inline constexpr uint8_t kMaxFieldToken = 0x7C;

// Shape token values besides field tokens. DO NOT CHANGE: stored in shapes.
inline constexpr uint8_t kShapeEnd = 0x00;        // Ends a struct's member list.
inline constexpr uint8_t kShapeResidual = 0x7E;   // Next member comes from the residual.
inline constexpr uint8_t kShapeNullFlag = 0x80;   // OR-ed into a field token: value is null.

// Internal column ids. DO NOT CHANGE.
inline constexpr uint16_t kShapeColumn = 1000;          // Shape bytes per event (dictionary).
inline constexpr uint16_t kResidualColumn = 1001;       // Unknown members, verbatim.
inline constexpr uint16_t kEventTimeTextColumn = 1002;  // Original eventTime text when not canonical.

class EventSchema {
 public:
  static const EventSchema& Get();

  std::span<const SchemaField> fields() const { return fields_; }
  std::span<const ColumnSpec> columns() const { return columns_; }
  const SchemaField& field(int index) const { return fields_[static_cast<size_t>(index)]; }
  const ColumnSpec& column(int index) const { return columns_[static_cast<size_t>(index)]; }

  // Returns the child of `parent` (or a top-level field for kTopLevel) named exactly `name`.
  // Inline: ingest calls it for every member of every event.
  const SchemaField* FindChild(int parent, std::string_view name) const {
    if (name.size() > kMaxNameLength || name.empty()) return nullptr;
    uint64_t head, tail;
    KeyWords(name, &head, &tail);
    for (size_t pos = SlotOf(parent, name.size(), head, tail);; pos = (pos + 1) & kSlotMask) {
      const ChildSlot& s = child_slots_[pos];
      if (s.field < 0) return nullptr;
      if (s.head == head && s.tail == tail && s.length == name.size() && s.parent == parent) {
        const SchemaField& f = fields_[static_cast<size_t>(s.field)];
        // Names up to 16 bytes are covered by the two words; longer ones compare the middle.
        if (name.size() <= 16 || BytesEqual(name.data() + 8, f.name.data() + 8, name.size() - 16)) {
          return &f;
        }
      }
    }
  }
  // Returns the children of `parent` (top-level fields for kTopLevel).
  std::span<const int> Children(int parent) const;
  // Returns the field with shape token `token`, or nullptr.
  const SchemaField* FieldByToken(uint8_t token) const;
  int FieldIndex(const SchemaField& f) const { return static_cast<int>(&f - fields_.data()); }

  // Returns the column index for a dotted path (exact case) or internal name, or -1.
  int ColumnByPath(std::string_view path) const;
  // Returns the column index whose stable id is `id`, or -1.
  int ColumnById(uint16_t id) const;
  // Returns the column index of a path compared case-insensitively (SQL identifiers), or -1.
  int ColumnByPathIgnoreCase(std::string_view path) const;

  int event_time_column() const { return event_time_column_; }
  int event_id_column() const { return event_id_column_; }
  int shape_column() const { return shape_column_; }
  int residual_column() const { return residual_column_; }
  int event_time_text_column() const { return event_time_text_column_; }

 private:
  EventSchema();

  std::vector<SchemaField> fields_;
  std::vector<int> top_level_;
  // FindChild's index: one open-addressing table over (parent, name) for the whole tree, in
  // place. A slot holds the name's first and last eight bytes, so a lookup of a name of up to
  // 16 bytes (most CloudTrail keys) is one hash and one slot compare, with no pointer chase.
  // Invariants: at most half the slots are used; an empty slot has field < 0.
  static constexpr size_t kMaxNameLength = 40;
  static constexpr size_t kSlotCount = 256;
  static constexpr size_t kSlotMask = kSlotCount - 1;
  struct ChildSlot {
    uint64_t head = 0;  // KeyWords of the name
    uint64_t tail = 0;
    uint16_t length = 0;
    int16_t parent = 0;
    int16_t field = -1;  // index into fields_, -1 = empty
  };
  // Packs a non-empty name into two words that are equal for two names of the same length
  // exactly when their first and last eight bytes are (all bytes, for names up to 16 bytes).
  // Reads only the name's bytes.
  static void KeyWords(std::string_view name, uint64_t* head, uint64_t* tail) {
    const char* p = name.data();
    const size_t n = name.size();
    if (n >= 8) {
      std::memcpy(head, p, 8);
      std::memcpy(tail, p + n - 8, 8);
    } else if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      *head = uint64_t{a} | uint64_t{b} << 32;
      *tail = 0;
    } else {
      uint64_t h = 0;
      for (size_t i = 0; i < n; ++i) h |= uint64_t{static_cast<uint8_t>(p[i])} << (8 * i);
      *head = h;
      *tail = 0;
    }
  }
  static size_t SlotOf(int parent, size_t length, uint64_t head, uint64_t tail) {
    constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15u;
    constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4Fu;
    const uint64_t p = static_cast<uint32_t>(parent + 1);
    const uint64_t h = (head ^ (tail * kMul1) ^ (uint64_t{length} << 48) ^ p) * kMul2;
    return static_cast<size_t>(h >> 56) & kSlotMask;
  }
  std::array<ChildSlot, kSlotCount> child_slots_;
  std::vector<ColumnSpec> columns_;
  std::vector<int> field_by_token_;
  int event_time_column_ = -1;
  int event_id_column_ = -1;
  int shape_column_ = -1;
  int residual_column_ = -1;
  int event_time_text_column_ = -1;
};

}  // namespace trailbook::storage
