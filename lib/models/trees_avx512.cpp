// SPDX-License-Identifier: Apache-2.0
// The AVX-512 step of the dense tree walk: 16 rows per instruction, compiled for AVX-512F with a
// function attribute (the rest of the library keeps the baseline ISA) and chosen at run time.

#include "earlyhelp/models/detail/trees_impl.hpp"

#include <algorithm>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EH_HAVE_AVX512_KERNEL 1
#endif

namespace earlyhelp::models::detail {

#ifdef EH_HAVE_AVX512_KERNEL

bool TreeKernels::have_avx512() noexcept {
  static const bool ok = __builtin_cpu_supports("avx512f") != 0;
  return ok;
}

namespace {

// 32 consecutive nodes as feature and threshold registers (low and high 16 each).
struct Table {
  __m512i f_lo, f_hi;
  __m512 t_lo, t_hi;
};

__attribute__((target("avx512f"))) inline Table load_table(const int* nodes, int first,
                                                            __m512i even, __m512i odd) {
  const int* p = nodes + 2 * first;  // DenseNode = {feature, threshold}: 2 ints per node
  const __m512i a = _mm512_loadu_si512(p);
  const __m512i b = _mm512_loadu_si512(p + 16);
  const __m512i c = _mm512_loadu_si512(p + 32);
  const __m512i e = _mm512_loadu_si512(p + 48);
  return Table{_mm512_permutex2var_epi32(a, even, b), _mm512_permutex2var_epi32(c, even, e),
               _mm512_castsi512_ps(_mm512_permutex2var_epi32(a, odd, b)),
               _mm512_castsi512_ps(_mm512_permutex2var_epi32(c, odd, e))};
}

}  // namespace

__attribute__((target("avx512f"))) void TreeKernels::dense_leaves_avx512(
    const TreeEnsemble::DenseNode* nodes, int depth, const float* rows, Index ld, Index nr,
    std::uint32_t* out, const float* leaves, float* acc) noexcept {
  // kLanes rows as kVectors independent chains of 16: a gather's latency is hidden behind the
  // others' instead of stalling one dependency chain per level.
  alignas(64) std::int32_t offsets[kSimdRows];
  for (Index r = 0; r < kSimdRows; ++r) {
    offsets[r] = static_cast<std::int32_t>((r < nr ? r : 0) * ld);
  }
  constexpr int kVectors = static_cast<int>(kSimdRows / 16);
  const __m512i one = _mm512_set1_epi32(1);
  // Masked gathers with an explicit source (the unmasked forms trip GCC 12's
  // -Wmaybe-uninitialized inside avx512fintrin.h).
  const __m512i zero = _mm512_setzero_si512();
  const __m512 zero_ps = _mm512_setzero_ps();
  const __mmask16 all = 0xFFFF;
  const __m512i feature_mask = _mm512_set1_epi32(0x7fffffff);
  const auto* base_feature = reinterpret_cast<const int*>(nodes);
  const auto* base_threshold = reinterpret_cast<const float*>(nodes) + 1;
  __m512i row_offset[kVectors];
  __m512i idx[kVectors];
  for (int v = 0; v < kVectors; ++v) {
    row_offset[v] = _mm512_load_si512(offsets + 16 * v);
    idx[v] = zero;
  }
  // Nodes [first, first + 32) as two feature and two threshold registers, so the top levels
  // look nodes up with a permute instead of a gather (DenseNode is {feature, threshold}).
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_add_epi32(even, one);
  const Table top = load_table(base_feature, 0, even, odd);                                // levels 0..4 (nodes 0..30)
  const Table level5 = depth > 5 ? load_table(base_feature, 31, even, odd) : top;          // level 5 (nodes 31..62)
  const __m512i level5_first = _mm512_set1_epi32(31);
  for (int d = 0; d < depth; ++d) {
    for (int v = 0; v < kVectors; ++v) {
      __m512i f;
      __m512 thr;
      if (d <= 4) {
        f = _mm512_permutex2var_epi32(top.f_lo, idx[v], top.f_hi);
        thr = _mm512_permutex2var_ps(top.t_lo, idx[v], top.t_hi);
      } else if (d == 5) {
        const __m512i j = _mm512_sub_epi32(idx[v], level5_first);
        f = _mm512_permutex2var_epi32(level5.f_lo, j, level5.f_hi);
        thr = _mm512_permutex2var_ps(level5.t_lo, j, level5.t_hi);
      } else {
        f = _mm512_mask_i32gather_epi32(zero, all, idx[v], base_feature, 8);
        thr = _mm512_mask_i32gather_ps(zero_ps, all, idx[v], base_threshold, 8);
      }
      const __m512i at = _mm512_add_epi32(row_offset[v], _mm512_and_si512(f, feature_mask));
      const __m512 x = _mm512_mask_i32gather_ps(zero_ps, all, at, rows, 4);
      const __mmask16 ge = _mm512_cmp_ps_mask(x, thr, _CMP_GE_OQ);
      const __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
      const __mmask16 nan_right = _mm512_cmplt_epi32_mask(f, zero);
      const auto right = static_cast<__mmask16>(ge | (nan & nan_right));
      const __m512i next = _mm512_add_epi32(_mm512_add_epi32(idx[v], idx[v]), one);
      idx[v] = _mm512_mask_add_epi32(next, right, next, one);
    }
  }
  const __m512i first_leaf = _mm512_set1_epi32((1 << depth) - 1);
  if (leaves != nullptr) {
    // Single-output float32 sums: gather the leaves and add them to 16 rows at once (the same
    // per-row order as the scalar loop: one add per tree).
    for (int v = 0; v < kVectors; ++v) {
      const Index n = std::clamp<Index>(nr - 16 * v, 0, 16);
      if (n == 0) break;
      const auto live = static_cast<__mmask16>((1u << n) - 1u);
      const __m512 val = _mm512_mask_i32gather_ps(zero_ps, live, _mm512_sub_epi32(idx[v], first_leaf), leaves, 4);
      float* a = acc + 16 * v;
      _mm512_mask_storeu_ps(a, live, _mm512_add_ps(_mm512_maskz_loadu_ps(live, a), val));
    }
    return;
  }
  for (int v = 0; v < kVectors; ++v) {
    _mm512_storeu_si512(out + 16 * v, _mm512_sub_epi32(idx[v], first_leaf));
  }
}

__attribute__((target("avx512f"))) void TreeKernels::trees_leaves_avx512(
    const TreeEnsemble& m, Index t0, Index lanes, const float* row, std::uint32_t* out) noexcept {
  // Up to kTreeLanes trees, one per lane, as 4 independent chains of 16 so gathers overlap.
  constexpr int kVectors = static_cast<int>(kTreeLanes / 16);
  const __m512i zero = _mm512_setzero_si512();
  const __m512 zero_ps = _mm512_setzero_ps();
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i feature_mask = _mm512_set1_epi32(0x7fffffff);
  const auto* base_feature = reinterpret_cast<const int*>(m.dense_nodes_.data());
  const auto* base_threshold = reinterpret_cast<const float*>(m.dense_nodes_.data()) + 1;
  const auto t = static_cast<std::size_t>(t0);
  __mmask16 live[kVectors];
  __m512i first[kVectors], depth[kVectors], idx[kVectors];
  int max_depth = 0;
  for (Index l = 0; l < lanes; ++l) {
    max_depth = std::max(max_depth, m.tree_depth_[t + static_cast<std::size_t>(l)]);
  }
  for (int v = 0; v < kVectors; ++v) {
    const Index n = std::clamp<Index>(lanes - 16 * v, 0, 16);
    live[v] = static_cast<__mmask16>((1u << n) - 1u);
    const std::size_t at = t + static_cast<std::size_t>(16 * v);
    first[v] = _mm512_maskz_loadu_epi32(live[v], m.dense_offset32_.data() + (n > 0 ? at : 0));
    depth[v] = _mm512_maskz_loadu_epi32(live[v], m.tree_depth_.data() + (n > 0 ? at : 0));
    idx[v] = zero;
  }
  for (int d = 0; d < max_depth; ++d) {
    const __m512i level = _mm512_set1_epi32(d);
    for (int v = 0; v < kVectors; ++v) {
      const auto active =
          static_cast<__mmask16>(live[v] & _mm512_cmpgt_epi32_mask(depth[v], level));
      const __m512i at = _mm512_add_epi32(first[v], idx[v]);
      const __m512i f = _mm512_mask_i32gather_epi32(zero, active, at, base_feature, 8);
      const __m512 thr = _mm512_mask_i32gather_ps(zero_ps, active, at, base_threshold, 8);
      const __m512 x =
          _mm512_mask_i32gather_ps(zero_ps, active, _mm512_and_si512(f, feature_mask), row, 4);
      const __mmask16 ge = _mm512_cmp_ps_mask(x, thr, _CMP_GE_OQ);
      const __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
      const __mmask16 nan_right = _mm512_cmplt_epi32_mask(f, zero);
      const auto right = static_cast<__mmask16>(ge | (nan & nan_right));
      __m512i next = _mm512_add_epi32(_mm512_add_epi32(idx[v], idx[v]), one);
      next = _mm512_mask_add_epi32(next, right, next, one);
      idx[v] = _mm512_mask_mov_epi32(idx[v], active, next);
    }
  }
  alignas(64) std::uint32_t tmp[kTreeLanes];
  for (int v = 0; v < kVectors; ++v) {
    const __m512i first_leaf = _mm512_sub_epi32(_mm512_maskz_sllv_epi32(0xFFFF, one, depth[v]), one);
    _mm512_store_si512(tmp + 16 * v, _mm512_sub_epi32(idx[v], first_leaf));
  }
  for (Index l = 0; l < lanes; ++l) out[l] = tmp[l];
}

#else

void TreeKernels::trees_leaves_avx512(const TreeEnsemble&, Index, Index, const float*,
                                      std::uint32_t*) noexcept {}

bool TreeKernels::have_avx512() noexcept { return false; }

void TreeKernels::dense_leaves_avx512(const TreeEnsemble::DenseNode*, int, const float*, Index,
                                      Index, std::uint32_t*, const float*, float*) noexcept {}

#endif

}  // namespace earlyhelp::models::detail
