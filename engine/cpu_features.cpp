#include "engine/cpu_features.hpp"

namespace matchfund {

// __builtin_cpu_init first: a caller may run during static initialisation.
bool cpu_has_avx512() {
  static const bool has =
      (__builtin_cpu_init(), __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"));
  return has;
}

bool cpu_has_avx512_ifma() {
  static const bool has = cpu_has_avx512() && __builtin_cpu_supports("avx512ifma");
  return has;
}

bool cpu_has_avx512_vbmi2() {
  static const bool has = cpu_has_avx512() && __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("avx512vbmi2");
  return has;
}

}  // namespace matchfund
