#include "sql/functions/function_registry.h"

#include <cctype>

namespace trailbook::sql {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const FunctionRegistry& FunctionRegistry::Builtin() {
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    RegisterBuiltinScalarFunctions(r);
    return r;
  }();
  return registry;
}

void FunctionRegistry::AddScalar(std::string_view name, ScalarBind bind) {
  scalars_[Lower(name)] = std::move(bind);
}

const ScalarBind* FunctionRegistry::FindScalar(std::string_view name) const {
  auto it = scalars_.find(Lower(name));
  return it == scalars_.end() ? nullptr : &it->second;
}

std::vector<std::string> FunctionRegistry::ScalarNames() const {
  std::vector<std::string> names;
  for (const auto& [name, bind] : scalars_) {
    if (!name.empty() && name[0] != '$') names.push_back(name);
  }
  return names;
}

}  // namespace trailbook::sql
