#include "ingest/embedded_event.h"

#include "ingest/json_text.h"

namespace trailbook::ingest {

namespace ondemand = simdjson::ondemand;

void EmbeddedEvent::Capture(ondemand::value value, std::string_view what) {
  what_ = what;
  error_.clear();
  text_.Clear();
  ondemand::json_type type;
  if (auto error = value.type().get(type)) {
    error_ = std::string(what) + " is not valid JSON: " + simdjson::error_message(error);
    return;
  }
  std::string_view text;
  if (type == ondemand::json_type::string) {
    // A JSON string is at least as long as its unescaped value: check the limit first.
    if (value.raw_json_token().size() > max_record_bytes_ + 2) {
      error_ = std::string(what) + " is larger than the record limit of " +
               std::to_string(max_record_bytes_) + " bytes";
      return;
    }
    if (auto error = value.get_string().get(text)) {
      error_ = std::string(what) + " is not a valid JSON string: " + simdjson::error_message(error);
      return;
    }
  } else if (type == ondemand::json_type::object) {
    ondemand::object object;
    simdjson::error_code error = value.get_object().get(object);
    if (error == simdjson::SUCCESS) error = object.raw_json().get(text);
    if (error != simdjson::SUCCESS) {
      error_ = std::string(what) + " is not valid JSON: " + simdjson::error_message(error);
      return;
    }
  } else {
    error_ = std::string(what) + " is not a string (found " + std::string(JsonTypeName(type)) + ")";
    return;
  }
  text_.Append(text);
}

void EmbeddedEvent::CaptureText(std::string_view text, std::string_view what) {
  what_ = what;
  error_.clear();
  text_.Clear();
  if (text.size() > max_record_bytes_ + 64) {
    error_ = std::string(what) + " is " + std::to_string(text.size()) +
             " bytes, larger than the record limit of " + std::to_string(max_record_bytes_) +
             " bytes";
    return;
  }
  text_.Append(text);
}

Result<std::string_view> EmbeddedEvent::Decode() {
  std::string what(what_);
  if (!error_.empty()) return InvalidArgument(error_);
  std::string_view text = TrimJsonSpace(text_.view());
  if (text.empty()) return InvalidArgument(what + " is empty");
  if (text.size() > max_record_bytes_) {
    return InvalidArgument(what + " is " + std::to_string(text.size()) +
                           " bytes, larger than the record limit of " +
                           std::to_string(max_record_bytes_) + " bytes");
  }
  ondemand::document doc;
  simdjson::error_code error = parser_.iterate(PaddedView(text)).get(doc);
  if (error == simdjson::MEMALLOC) return ResourceExhausted("out of memory parsing " + what);
  ondemand::object object;
  if (error == simdjson::SUCCESS) {
    error = doc.get_object().get(object);
    if (error == simdjson::INCORRECT_TYPE) {
      return InvalidArgument(what + " does not hold a JSON object (found " +
                             std::string(JsonTypeOf(doc)) + ")");
    }
  }
  std::string_view raw;
  if (error == simdjson::SUCCESS) error = object.raw_json().get(raw);
  if (error != simdjson::SUCCESS) {
    return InvalidArgument(what + " does not hold valid JSON: " + simdjson::error_message(error));
  }
  const char* after = nullptr;
  if (doc.current_location().get(after) == simdjson::SUCCESS) {
    return InvalidArgument(what + " has content after its JSON object");
  }
  return RightTrimJsonSpace(raw);
}

ondemand::object* EmbeddedEvent::ParseObject() {
  if (!error_.empty()) return nullptr;
  std::string_view text = TrimJsonSpace(text_.view());
  if (text.empty() || text.size() > max_record_bytes_) return nullptr;
  if (parser_.iterate(PaddedView(text)).get(doc_) != simdjson::SUCCESS) return nullptr;
  if (doc_.get_object().get(object_) != simdjson::SUCCESS) return nullptr;
  parsed_text_ = text;
  return &object_;
}

bool EmbeddedEvent::FinishObject(std::string_view* json) {
  const char* after = nullptr;
  if (doc_.current_location().get(after) == simdjson::SUCCESS) return false;
  *json = parsed_text_;
  return true;
}

void EmbeddedEvent::ShrinkTo(uint64_t keep_bytes) {
  if (parser_.capacity() > keep_bytes) parser_ = ondemand::parser();
  text_.ShrinkTo(static_cast<size_t>(keep_bytes));
}

}  // namespace trailbook::ingest
