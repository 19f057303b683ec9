#include "storage/event_json.h"

#include "base/timestamp.h"
#include "json/json_writer.h"
#include "storage/coding.h"
#include "storage/event_schema.h"
#include "storage/row_batch.h"

namespace trailbook::storage {
namespace {

// Walks a shape and emits JSON. Shape grammar (docs/format/segment.md):
//   members := (token | token|NULL | RESIDUAL)* ; a struct token is followed by its members
//   and END; the top level has no END.
class Rebuilder {
 public:
  Rebuilder(EventValues& values, std::string_view shape, std::string_view residual,
            std::string* out)
      : values_(values), shape_(shape), residual_(residual), out_(out) {}

  // Emits members until END (or the end of the shape at top level).
  Status Members(bool top_level) {
    bool first = true;
    while (pos_ < shape_.size()) {
      uint8_t tok = static_cast<uint8_t>(shape_[pos_++]);
      if (tok == kShapeEnd) {
        if (top_level) return Corruption("END token at the top level of a shape");
        return Status::OK();
      }
      if (!first) out_->push_back(',');
      first = false;
      if (tok == kShapeResidual) {
        TB_RETURN_IF_ERROR(ResidualMember());
        continue;
      }
      bool is_null = (tok & kShapeNullFlag) != 0;
      const SchemaField* f = schema_.FieldByToken(static_cast<uint8_t>(tok & ~kShapeNullFlag));
      if (f == nullptr) return Corruption("unknown shape token " + std::to_string(tok));
      json::AppendQuoted(out_, f->name);
      out_->push_back(':');
      if (is_null) {
        out_->append("null");
        continue;
      }
      TB_RETURN_IF_ERROR(Value(*f));
    }
    if (!top_level) return Corruption("shape ends inside a struct");
    return Status::OK();
  }

  bool residual_consumed() const { return rpos_ == residual_.size(); }

  // Walks members (until END, or the end of the shape at top level) without emitting, until
  // the struct field `target` appears; then emits it. Returns 0 when not found, 1 when
  // emitted, 2 when the struct is null.
  Result<int> FindStruct(bool top_level, const SchemaField& target) {
    while (pos_ < shape_.size()) {
      uint8_t tok = static_cast<uint8_t>(shape_[pos_++]);
      if (tok == kShapeEnd) {
        if (top_level) return Corruption("END token at the top level of a shape");
        return 0;
      }
      if (tok == kShapeResidual) {
        TB_RETURN_IF_ERROR(SkipResidualMember());
        continue;
      }
      bool is_null = (tok & kShapeNullFlag) != 0;
      const SchemaField* f = schema_.FieldByToken(static_cast<uint8_t>(tok & ~kShapeNullFlag));
      if (f == nullptr) return Corruption("unknown shape token " + std::to_string(tok));
      if (f == &target) {
        if (is_null) return 2;
        out_->push_back('{');
        TB_RETURN_IF_ERROR(Members(false));
        out_->push_back('}');
        return 1;
      }
      if (f->kind != FieldKind::kStruct || is_null) continue;
      if (IsAncestor(*f, target)) {
        TB_ASSIGN_OR_RETURN(int r, FindStruct(false, target));
        if (r != 0) return r;
      } else {
        TB_RETURN_IF_ERROR(SkipMembers());
      }
    }
    if (!top_level) return Corruption("shape ends inside a struct");
    return 0;
  }

 private:
  Status Value(const SchemaField& f) {
    switch (f.kind) {
      case FieldKind::kStruct:
        out_->push_back('{');
        TB_RETURN_IF_ERROR(Members(false));
        out_->push_back('}');
        return Status::OK();
      case FieldKind::kString: {
        TB_ASSIGN_OR_RETURN(std::optional<std::string_view> v, values_.String(f.column));
        if (!v) return Corruption("shape has " + f.path + " but its column is NULL");
        json::AppendQuoted(out_, *v);
        return Status::OK();
      }
      case FieldKind::kJsonObject:
      case FieldKind::kJsonArray:
      case FieldKind::kJsonAny: {
        TB_ASSIGN_OR_RETURN(std::optional<std::string_view> v, values_.String(f.column));
        if (!v) return Corruption("shape has " + f.path + " but its column is NULL");
        out_->append(*v);
        return Status::OK();
      }
      case FieldKind::kBool: {
        TB_ASSIGN_OR_RETURN(uint8_t b, values_.Bool(f.column));
        if (b == 0) return Corruption("shape has " + f.path + " but its column is NULL");
        out_->append(b == 2 ? "true" : "false");
        return Status::OK();
      }
      case FieldKind::kTimestamp: {
        TB_ASSIGN_OR_RETURN(std::optional<std::string_view> text,
                            values_.String(schema_.event_time_text_column()));
        if (text) {
          json::AppendQuoted(out_, *text);
          return Status::OK();
        }
        TB_ASSIGN_OR_RETURN(int64_t t, values_.Timestamp(f.column));
        if (t == kNullTimestamp) return Corruption("shape has " + f.path + " but it is NULL");
        json::AppendQuoted(out_, FormatTimestamp(t));
        return Status::OK();
      }
    }
    return Corruption("bad field kind");
  }

  bool IsAncestor(const SchemaField& a, const SchemaField& f) const {
    for (int p = f.parent; p != kTopLevel; p = schema_.field(p).parent) {
      if (&schema_.field(p) == &a) return true;
    }
    return false;
  }

  // Skips the members of a struct up to and including its END.
  Status SkipMembers() {
    while (pos_ < shape_.size()) {
      uint8_t tok = static_cast<uint8_t>(shape_[pos_++]);
      if (tok == kShapeEnd) return Status::OK();
      if (tok == kShapeResidual) {
        TB_RETURN_IF_ERROR(SkipResidualMember());
        continue;
      }
      const SchemaField* f = schema_.FieldByToken(static_cast<uint8_t>(tok & ~kShapeNullFlag));
      if (f == nullptr) return Corruption("unknown shape token " + std::to_string(tok));
      if (f->kind == FieldKind::kStruct && (tok & kShapeNullFlag) == 0) {
        TB_RETURN_IF_ERROR(SkipMembers());
      }
    }
    return Corruption("shape ends inside a struct");
  }

  Status SkipResidualMember() {
    ByteReader r(residual_.substr(rpos_));
    std::string_view member;
    Status s = r.ReadLengthPrefixed(&member);
    if (!s.ok()) return Corruption("residual shorter than its shape says");
    rpos_ += r.position();
    return Status::OK();
  }

  Status ResidualMember() {
    ByteReader r(residual_.substr(rpos_));
    std::string_view member;
    Status s = r.ReadLengthPrefixed(&member);
    if (!s.ok()) return Corruption("residual shorter than its shape says");
    out_->append(member);
    rpos_ += r.position();
    return Status::OK();
  }

  const EventSchema& schema_ = EventSchema::Get();
  EventValues& values_;
  std::string_view shape_;
  std::string_view residual_;
  std::string* out_;
  size_t pos_ = 0;
  size_t rpos_ = 0;
};

}  // namespace

Status RebuildEventJson(EventValues& values, std::string* out) {
  const EventSchema& schema = EventSchema::Get();
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> shape_view,
                      values.String(schema.shape_column()));
  if (!shape_view) return Corruption("event has no shape");
  std::string shape(*shape_view);  // the next String() call may invalidate the view
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> residual_view,
                      values.String(schema.residual_column()));
  std::string residual = residual_view ? std::string(*residual_view) : std::string();
  out->push_back('{');
  Rebuilder rebuilder(values, shape, residual, out);
  TB_RETURN_IF_ERROR(rebuilder.Members(true));
  if (!rebuilder.residual_consumed()) return Corruption("residual has members the shape lacks");
  out->push_back('}');
  return Status::OK();
}

Result<bool> RebuildStructJson(EventValues& values, int field, std::string* out) {
  const EventSchema& schema = EventSchema::Get();
  const SchemaField& target = schema.field(field);
  if (target.kind != FieldKind::kStruct) return Internal("RebuildStructJson on a non-struct field");
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> shape_view,
                      values.String(schema.shape_column()));
  if (!shape_view) return Corruption("event has no shape");
  std::string shape(*shape_view);
  TB_ASSIGN_OR_RETURN(std::optional<std::string_view> residual_view,
                      values.String(schema.residual_column()));
  std::string residual = residual_view ? std::string(*residual_view) : std::string();
  size_t mark = out->size();
  Rebuilder rebuilder(values, shape, residual, out);
  TB_ASSIGN_OR_RETURN(int found, rebuilder.FindStruct(true, target));
  if (found != 1) out->resize(mark);
  return found == 1;
}

Result<std::optional<std::string_view>> SegmentRowValues::String(int column) {
  TB_ASSIGN_OR_RETURN(scratch_, segment_.StringAt(column, row_));
  if (!scratch_) return std::optional<std::string_view>();
  return std::optional<std::string_view>(*scratch_);
}

Result<int64_t> SegmentRowValues::Timestamp(int column) {
  return segment_.TimestampAt(column, row_);
}

Result<uint8_t> SegmentRowValues::Bool(int column) {
  TB_ASSIGN_OR_RETURN(uint32_t code, segment_.CodeAt(column, row_));
  return static_cast<uint8_t>(code);
}

}  // namespace trailbook::storage
