// fmt's implementation, compiled once into the library instead of linking libfmt.so: with
// libfmt.so every iscsictl process also loaded libstdc++.so for it, and the dynamic
// loader's symbol lookups were the largest part of a short command's time (docs/packaging.md).
// The headers are the system's (libfmt-dev); format-inl.h holds what libfmt.so is built
// from, and the explicit instantiations are the ones format.h declares extern.
#include <fmt/format-inl.h>

namespace fmt {
inline namespace v9 {
namespace detail {

template auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;
template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

}  // namespace detail
}  // namespace v9
}  // namespace fmt
