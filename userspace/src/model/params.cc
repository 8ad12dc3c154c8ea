#include "model/params.h"

namespace iscsictl {
namespace {

template <class P, class Fields>
P MergeFields(const Fields& fields, const P& base, const P& over) {
  P out = base;
  ForEachField(fields, [&](const auto& f) {
    if (over.*f.member) {
      out.*f.member = over.*f.member;
    }
  });
  return out;
}

template <class P, class Fields>
bool AllSet(const Fields& fields, const P& p) {
  bool all = true;
  ForEachField(fields, [&](const auto& f) {
    // CHAP names and secrets have no default.
    bool optional = f.json.starts_with("auth/") && f.json != "auth/authmethod";
    all = all && (optional || (p.*f.member).has_value());
  });
  return all;
}

}  // namespace

SessionParams Merge(const SessionParams& base, const SessionParams& over) {
  return MergeFields(kSessionFields, base, over);
}

ConnParams Merge(const ConnParams& base, const ConnParams& over) {
  return MergeFields(kConnFields, base, over);
}

bool IsComplete(const SessionParams& p) {
  return AllSet(kSessionFields, p);
}
bool IsComplete(const ConnParams& p) {
  return AllSet(kConnFields, p);
}

}  // namespace iscsictl
