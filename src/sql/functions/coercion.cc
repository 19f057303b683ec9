#include "sql/functions/scalar_function.h"

namespace trailbook::sql {

bool CanCoerce(const LogicalType& from, const LogicalType& to) {
  if (from == to || from.id() == TypeId::kUnknown) return true;
  switch (from.id()) {
    case TypeId::kBigint: return to.id() == TypeId::kDouble;
    case TypeId::kDate: return to.id() == TypeId::kTimestamp;
    case TypeId::kArray:
      return to.id() == TypeId::kArray && CanCoerce(from.element(), to.element());
    case TypeId::kMap:
      return to.id() == TypeId::kMap && CanCoerce(from.key(), to.key()) &&
             CanCoerce(from.value(), to.value());
    default: return false;
  }
}

LogicalType CommonSuperType(const LogicalType& a, const LogicalType& b) {
  if (a == b) return a;
  if (a.id() == TypeId::kUnknown) return b;
  if (b.id() == TypeId::kUnknown) return a;
  if (a.id() == TypeId::kArray && b.id() == TypeId::kArray) {
    LogicalType e = CommonSuperType(a.element(), b.element());
    return e.id() == TypeId::kUnknown && a.element().id() != TypeId::kUnknown
               ? LogicalType::Unknown()
               : LogicalType::Array(e);
  }
  if (CanCoerce(a, b)) return b;
  if (CanCoerce(b, a)) return a;
  return LogicalType::Unknown();
}

}  // namespace trailbook::sql
