// What this CPU (and its OS) runs beyond baseline x86-64, asked once. The
// vector loops are built for these whatever the build's target, and each is
// picked at run time; other CPUs run the plain loops, with the same results.
#pragma once

namespace matchfund {

// AVX-512 F and DQ: 64-bit lanes, their multiplies and masks.
bool cpu_has_avx512();
// AVX-512 IFMA as well: 52-bit multiplies with the high half of the product.
bool cpu_has_avx512_ifma();
// AVX-512 BW and VBMI2 as well: 16-bit lanes and their compress.
bool cpu_has_avx512_vbmi2();

}  // namespace matchfund
