#include "storage/event_schema.h"

#include <cctype>
#include <cstring>

#include "base/check.h"
#include "storage/bytes_equal.h"

namespace trailbook::storage {
namespace {

// The event model: token, name, kind, nesting depth, needle index. Rows are in pre-order;
// a row's parent is the closest earlier row with depth one less. Tokens double as the
// leaf column ids. DO NOT CHANGE existing tokens: they are stored in shapes and footers;
// append new fields with new tokens.
struct FieldRow {
  uint8_t token = 0;
  const char* name;
  FieldKind kind;
  int depth;
  bool needle;
};

constexpr FieldKind S = FieldKind::kString;
constexpr FieldKind B = FieldKind::kBool;
constexpr FieldKind T = FieldKind::kTimestamp;
constexpr FieldKind O = FieldKind::kJsonObject;
constexpr FieldKind A = FieldKind::kJsonArray;
constexpr FieldKind J = FieldKind::kJsonAny;
constexpr FieldKind X = FieldKind::kStruct;

constexpr FieldRow kFieldRows[] = {
    {1, "eventVersion", S, 0, false},
    {2, "userIdentity", X, 0, false},
    {3, "type", S, 1, false},
    {4, "principalId", S, 1, false},
    {5, "arn", S, 1, true},
    {6, "accountId", S, 1, false},
    {7, "accessKeyId", S, 1, true},
    {8, "userName", S, 1, false},
    {9, "invokedBy", S, 1, false},
    {10, "identityProvider", S, 1, false},
    {11, "credentialId", S, 1, false},
    {12, "sessionContext", X, 1, false},
    {13, "attributes", X, 2, false},
    {14, "creationDate", S, 3, false},
    {15, "mfaAuthenticated", S, 3, false},
    {16, "sessionIssuer", X, 2, false},
    {17, "type", S, 3, false},
    {18, "principalId", S, 3, false},
    {19, "arn", S, 3, false},
    {20, "accountId", S, 3, false},
    {21, "userName", S, 3, false},
    {22, "webIdFederationData", X, 2, false},
    {23, "federatedProvider", S, 3, false},
    {24, "attributes", O, 3, false},
    {25, "sourceIdentity", S, 2, false},
    {26, "ec2RoleDelivery", S, 2, false},
    {27, "ec2IssuedInVpc", S, 2, false},
    {28, "onBehalfOf", X, 1, false},
    {29, "userId", S, 2, false},
    {30, "identityStoreArn", S, 2, false},
    {31, "eventTime", T, 0, false},
    {32, "eventSource", S, 0, false},
    {33, "eventName", S, 0, false},
    {34, "awsRegion", S, 0, false},
    {35, "sourceIPAddress", S, 0, true},
    {36, "userAgent", S, 0, false},
    {37, "errorCode", S, 0, false},
    {38, "errorMessage", S, 0, false},
    {39, "requestParameters", O, 0, false},
    {40, "responseElements", O, 0, false},
    {41, "additionalEventData", O, 0, false},
    {42, "requestID", S, 0, true},
    {43, "eventID", S, 0, true},
    {44, "readOnly", B, 0, false},
    {45, "resources", A, 0, false},
    {46, "eventType", S, 0, false},
    {47, "apiVersion", S, 0, false},
    {48, "managementEvent", B, 0, false},
    {49, "recipientAccountId", S, 0, false},
    {50, "sharedEventID", S, 0, false},
    {51, "annotation", S, 0, false},
    {52, "vpcEndpointId", S, 0, false},
    {53, "vpcEndpointAccountId", S, 0, false},
    {54, "serviceEventDetails", O, 0, false},
    {55, "addendum", X, 0, false},
    {56, "reason", S, 1, false},
    {57, "updatedFields", S, 1, false},
    {58, "originalRequestID", S, 1, false},
    {59, "originalEventID", S, 1, false},
    {60, "sessionCredentialFromConsole", S, 0, false},
    {61, "edgeDeviceDetails", J, 0, false},
    {62, "eventCategory", S, 0, false},
    {63, "tlsDetails", X, 0, false},
    {64, "tlsVersion", S, 1, false},
    {65, "cipherSuite", S, 1, false},
    {66, "clientProvidedHostHeader", S, 1, false},
    {67, "insightDetails", J, 0, false},
};

ColumnType ColumnTypeFor(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString: return ColumnType::kString;
    case FieldKind::kBool: return ColumnType::kBool;
    case FieldKind::kTimestamp: return ColumnType::kTimestamp;
    case FieldKind::kJsonObject:
    case FieldKind::kJsonArray:
    case FieldKind::kJsonAny: return ColumnType::kJson;
    case FieldKind::kStruct: break;
  }
  TB_CHECK(false) << "struct has no column";
  return ColumnType::kString;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

const EventSchema& EventSchema::Get() {
  static const EventSchema schema;
  return schema;
}

EventSchema::EventSchema() {
  std::vector<int> stack;  // index of the open struct at each depth
  field_by_token_.assign(256, -1);
  for (const FieldRow& row : kFieldRows) {
    TB_CHECK(row.token >= 1 && row.token <= kMaxFieldToken) << "bad token";
    stack.resize(static_cast<size_t>(row.depth));
    int parent = row.depth == 0 ? kTopLevel : stack.back();
    SchemaField f;
    f.token = row.token;
    f.name = row.name;
    f.kind = row.kind;
    f.parent = parent;
    f.column = -1;
    f.path = parent == kTopLevel ? std::string(row.name)
                                 : fields_[static_cast<size_t>(parent)].path + "." + row.name;
    int index = static_cast<int>(fields_.size());
    TB_CHECK(field_by_token_[row.token] == -1) << "duplicate token";
    field_by_token_[row.token] = index;
    if (row.kind != FieldKind::kStruct) {
      f.column = static_cast<int>(columns_.size());
      columns_.push_back(ColumnSpec{row.token, f.path, ColumnTypeFor(row.kind), index, row.needle});
    }
    if (parent == kTopLevel) {
      top_level_.push_back(index);
    } else {
      fields_[static_cast<size_t>(parent)].children.push_back(index);
    }
    fields_.push_back(std::move(f));
    if (row.kind == FieldKind::kStruct) stack.push_back(index);
  }
  shape_column_ = static_cast<int>(columns_.size());
  columns_.push_back(ColumnSpec{kShapeColumn, "$shape", ColumnType::kString, -1, false});
  residual_column_ = static_cast<int>(columns_.size());
  columns_.push_back(ColumnSpec{kResidualColumn, "$residual", ColumnType::kString, -1, false});
  event_time_text_column_ = static_cast<int>(columns_.size());
  columns_.push_back(
      ColumnSpec{kEventTimeTextColumn, "$eventTimeText", ColumnType::kString, -1, false});
  TB_CHECK(fields_.size() * 2 <= kSlotCount) << "FindChild table too small";
  for (size_t i = 0; i < fields_.size(); ++i) {
    const SchemaField& f = fields_[i];
    TB_CHECK(!f.name.empty() && f.name.size() <= kMaxNameLength) << "bad field name length";
    uint64_t head, tail;
    KeyWords(f.name, &head, &tail);
    size_t pos = SlotOf(f.parent, f.name.size(), head, tail);
    while (child_slots_[pos].field >= 0) pos = (pos + 1) & kSlotMask;
    child_slots_[pos] = ChildSlot{head, tail, static_cast<uint16_t>(f.name.size()),
                                  static_cast<int16_t>(f.parent), static_cast<int16_t>(i)};
  }
  event_time_column_ = ColumnByPath("eventTime");
  event_id_column_ = ColumnByPath("eventID");
  TB_CHECK(event_time_column_ >= 0 && event_id_column_ >= 0) << "schema lacks core columns";
}

std::span<const int> EventSchema::Children(int parent) const {
  if (parent == kTopLevel) return top_level_;
  return fields_[static_cast<size_t>(parent)].children;
}

const SchemaField* EventSchema::FieldByToken(uint8_t token) const {
  int index = field_by_token_[token];
  return index < 0 ? nullptr : &fields_[static_cast<size_t>(index)];
}

int EventSchema::ColumnByPath(std::string_view path) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == path) return static_cast<int>(i);
  }
  return -1;
}

int EventSchema::ColumnById(uint16_t id) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int EventSchema::ColumnByPathIgnoreCase(std::string_view path) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].field >= 0 && EqualsIgnoreCase(columns_[i].name, path)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace trailbook::storage
