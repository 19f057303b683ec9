#include "gen/internal/event_context.h"

#include "gen/internal/actions.h"
#include "gen/internal/model.h"
#include "gen/internal/plan.h"

namespace trailbook::gen::internal {

void Tenths(json::JsonWriter& w, std::string_view key, int64_t tenths) {
  std::string text;
  AppendTenths(tenths, &text);
  w.Key(key);
  w.Raw(text);
}

void Hundredths(json::JsonWriter& w, std::string_view key, int64_t hundredths) {
  std::string text;
  AppendInt(hundredths / 100, &text);
  text.push_back('.');
  const int64_t cents = hundredths % 100;
  text.push_back(static_cast<char>('0' + cents / 10));
  if (cents % 10 != 0) text.push_back(static_cast<char>('0' + cents % 10));
  w.Key(key);
  w.Raw(text);
}

EventContext::EventContext(const DatasetModel& model) : model_(model) {}

void EventContext::Reset(Rng* rng, uint32_t account, std::string_view region,
                         int64_t time_micros, uint16_t action, const Persona& persona,
                         ErrorClass error, const Scenario* scenario, uint8_t step) {
  rng_ = rng;
  account_ = account;
  region_ = region;
  time_ = time_micros;
  action_ = action;
  caller_.persona = &persona;
  scenario_ = scenario;
  step_ = step;
  error_ = error;
  request_.Clear();
  response_.Clear();
  additional_.Clear();
  details_.Clear();
  envelope_.Clear();
  resources_.clear();
  first_resource_arn_.clear();
  identity_ = IdentityStyle::kCaller;
  invoked_by_ = {};
  event_type_ = {};
  tls_host_ = {};
  subject_ = {};
  cross_account_.clear();
  cross_principal_.clear();
  read_only_ = -1;
  shared_event_id_ = false;
  no_request_id_ = false;
  tls_ = true;
}

const Population& EventContext::pop() const { return model_.pop(); }
const Account& EventContext::account() const { return model_.pop().accounts[account_]; }
std::string_view EventContext::account_id() const { return account().id; }
const ActionSpec& EventContext::action() const { return AllActions()[action_]; }

bool EventContext::InScenario(uint8_t kind) const {
  return scenario_ != nullptr && static_cast<uint8_t>(scenario_->kind) == kind;
}

void EventContext::Resource(std::string_view type, std::string_view arn, bool with_account) {
  resources_.append(resources_.empty() ? "[" : ",");
  resources_.push_back('{');
  if (with_account) {
    resources_.append("\"accountId\":\"");
    resources_.append(account_id());
    resources_.append("\",");
  }
  resources_.append("\"type\":");
  json::AppendQuoted(&resources_, type);
  resources_.append(",\"ARN\":");
  json::AppendQuoted(&resources_, arn);
  resources_.push_back('}');
  if (first_resource_arn_.empty()) first_resource_arn_.assign(arn);
}

std::string& EventContext::Temp() {
  std::string& s = temps_[next_temp_];
  next_temp_ = (next_temp_ + 1) % kTemps;
  s.clear();
  return s;
}

std::string_view EventContext::Uuid() {
  std::string& s = Temp();
  AppendUuid(*rng_, &s);
  return s;
}

std::string_view EventContext::HexId(std::string_view prefix, size_t n) {
  std::string& s = Temp();
  AppendHexId(*rng_, prefix, n, &s);
  return s;
}

std::string_view EventContext::AwsId(std::string_view prefix, size_t n) {
  std::string& s = Temp();
  AppendAwsId(*rng_, prefix, n, &s);
  return s;
}

std::string_view EventContext::Random(std::string_view alphabet, size_t n) {
  std::string& s = Temp();
  AppendRandom(*rng_, alphabet, n, &s);
  return s;
}

std::string_view EventContext::Cat(std::initializer_list<std::string_view> parts) {
  std::string& s = Temp();
  for (std::string_view p : parts) s.append(p);
  return s;
}

std::string_view EventContext::Num(int64_t v) {
  std::string& s = Temp();
  AppendInt(v, &s);
  return s;
}

std::string_view EventContext::SessionToken() {
  std::string& s = Temp();
  AppendSessionToken(*rng_, &s);
  return s;
}

std::string_view EventContext::Arn(std::string_view service, std::string_view resource) {
  return Cat({"arn:aws:", service, ":", region_, ":", account_id(), ":", resource});
}

std::string_view EventContext::GlobalArn(std::string_view service, std::string_view resource) {
  return Cat({"arn:aws:", service, "::", account_id(), ":", resource});
}

std::string_view EventContext::IsoTime(int64_t micros) {
  std::string& s = Temp();
  AppendIsoTime(micros, &s);
  return s;
}

std::string_view EventContext::JavaTime(int64_t micros) {
  std::string& s = Temp();
  AppendJavaTime(micros, &s);
  return s;
}

std::string_view EventContext::Zone() {
  std::string_view zones = "abc";
  for (const RegionInfo& r : Regions()) {
    if (r.name == region_) zones = r.zones;
  }
  std::string& s = Temp();
  s.append(region_);
  s.push_back(zones[rng_->Index(zones.size())]);
  return s;
}

std::string_view EventContext::PrivateIp() {
  std::string& s = Temp();
  AppendIpv4((10u << 24) | static_cast<uint32_t>(rng_->Below(1u << 18)), &s);
  return s;
}

const std::string& EventContext::Pick(const NamePool& pool) {
  const Persona& p = persona();
  if (p.mix == MixClass::kWorkload || p.mix == MixClass::kAutomation) {
    return pool.PickOwned(*rng_, p.resource_salt);
  }
  return pool.Pick(*rng_);
}

}  // namespace trailbook::gen::internal
