#include "gen/internal/actions.h"

#include <vector>

#include "base/check.h"

namespace trailbook::gen::internal {

std::span<const ActionSpec> AllActions() {
  // Built once on first use (thread-safe static initialisation); immutable afterwards.
  static const std::vector<ActionSpec> kAll = [] {
    std::vector<ActionSpec> all;
    for (auto group : {IdentityActions(), ComputeActions(), DataActions(), OpsActions()}) {
      all.insert(all.end(), group.begin(), group.end());
    }
    return all;
  }();
  return kAll;
}

uint16_t FindAction(Service service, std::string_view name) {
  const auto all = AllActions();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].service == service && all[i].name == name) return static_cast<uint16_t>(i);
  }
  TB_CHECK(false) << "unknown action " << GetService(service).host << " " << name;
  return 0;
}

}  // namespace trailbook::gen::internal
