#include "auth/jwt/verification_steps.h"

#include <array>

#include "auth/jwt/claims.h"
#include "base/timestamp.h"

namespace trailbook::auth {
namespace {

// The known scopes in std::set order, which is the order "granted [...]" lists them in.
constexpr const std::array<std::string_view, 4>& kSortedScopes = VerificationSteps::kScopeBits;
static_assert(kSortedScopes[0] == kScopeAuditRead && kSortedScopes[1] == kScopeQueryAdhoc &&
              kSortedScopes[2] == kScopeRunbookRun && kSortedScopes[3] == kScopeSnapshotRead);
static_assert(kSortedScopes[0] < kSortedScopes[1] && kSortedScopes[1] < kSortedScopes[2] &&
              kSortedScopes[2] < kSortedScopes[3]);

std::string Seconds(int64_t us) { return std::to_string(us / kMicrosPerSecond) + "s"; }

}  // namespace

int64_t VerificationSteps::ScopeMask(const std::set<std::string, std::less<>>& scopes) {
  int64_t mask = 0;
  for (size_t i = 0; i < kSortedScopes.size(); ++i) {
    if (scopes.find(kSortedScopes[i]) != scopes.end()) mask |= int64_t{1} << i;
  }
  return mask;
}

void VerificationSteps::Add(std::string_view name, VerificationStep::Outcome outcome,
                            Detail detail, int64_t a, int64_t b) {
  records_.push_back(Record{name, outcome, detail, kNoText, 0, a, b});
}

void VerificationSteps::Add(std::string_view name, VerificationStep::Outcome outcome,
                            Detail detail, int64_t a, int64_t b, std::string text) {
  records_.push_back(Record{name, outcome, detail, static_cast<uint32_t>(texts_.size()),
                            static_cast<uint32_t>(text.size()), a, b});
  texts_ += text;
}

void VerificationSteps::SetKey(std::shared_ptr<const JwkSet> set, const Jwk* key) {
  key_set_ = std::move(set);
  key_ = key;
}

void VerificationSteps::Append(const VerificationSteps& other) {
  const auto offset = static_cast<uint32_t>(texts_.size());
  for (Record r : other.records_) {
    if (r.text != kNoText) r.text += offset;
    records_.push_back(r);
  }
  texts_ += other.texts_;
  if (other.key_ != nullptr) SetKey(other.key_set_, other.key_);
  constraints_ = other.constraints_;
}

const std::vector<VerificationStep>& VerificationSteps::formatted() const {
  if (formatted_.size() < records_.size()) {
    formatted_.reserve(records_.size());
    for (size_t i = formatted_.size(); i < records_.size(); ++i) {
      const Record& r = records_[i];
      formatted_.push_back(VerificationStep{std::string(r.name), r.outcome, Format(r)});
    }
  }
  return formatted_;
}

VerificationSteps::operator std::vector<VerificationStep>() && {
  formatted();
  return std::move(formatted_);
}

std::string VerificationSteps::Format(const Record& r) const {
  const std::string_view text =
      r.text == kNoText ? std::string_view() : std::string_view(texts_).substr(r.text, r.text_size);
  switch (r.detail) {
    case Detail::kText: return std::string(text);
    case Detail::kBytes: return std::to_string(r.a) + " bytes";
    case Detail::kKidPresent: return "kid present";
    case Detail::kNoKid: return "no kid";
    case Detail::kConfigured: return "configured";
    case Detail::kQuoted: return QuoteForDetail(text);
    case Detail::kAlgorithm: return std::string(JwsAlgorithmName(static_cast<JwsAlgorithm>(r.a)));
    case Detail::kKey: return key_ != nullptr ? key_->Describe() : std::string("unknown key");
    case Detail::kValid: return "valid";
    case Detail::kRelative: {
      int64_t delta = r.a - r.b / kMicrosPerSecond;
      return delta >= 0 ? "in " + std::to_string(delta) + "s" : std::to_string(-delta) + "s ago";
    }
    case Detail::kAbsent: return "absent";
    case Detail::kLifetime: return Seconds(r.a) + " <= " + Seconds(r.b);
    case Detail::kPresent: return "present";
    case Detail::kEntries: return std::to_string(r.a) + " entries";
    case Detail::kScope: {
      std::string granted;
      for (size_t i = 0; i < kSortedScopes.size(); ++i) {
        if ((r.a & (int64_t{1} << i)) == 0) continue;
        if (!granted.empty()) granted += ' ';
        granted += kSortedScopes[i];
      }
      return "granted [" + granted + "]" + std::string(text);
    }
    case Detail::kNoScope: return "absent: no scope granted";
    case Detail::kConstraints: {
      const ConstraintSummary& c = constraints_;
      std::string out;
      auto add = [&](std::string part) {
        if (!out.empty()) out += "; ";
        out += part;
      };
      if (c.accounts > 0) add("accounts=" + std::to_string(c.accounts));
      if (c.regions > 0) add("regions=" + std::to_string(c.regions));
      if (c.max_window_us) add("max_window=" + FormatDuration(*c.max_window_us));
      if (c.after_us) add("after=" + FormatTimestamp(*c.after_us));
      if (c.before_us) add("before=" + FormatTimestamp(*c.before_us));
      return out.empty() ? "empty (no restriction)" : out;
    }
    case Detail::kNoConstraints: return "absent: no restriction";
    case Detail::kCache:
      return "verified at " + FormatTimestamp(r.a) + "; still within nbf/exp at " +
             FormatTimestamp(r.b);
    case Detail::kNotEvaluated: return "not evaluated";
  }
  return "?";
}

}  // namespace trailbook::auth
