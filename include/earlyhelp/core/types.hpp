// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Numeric vocabulary shared by every component: row-major matrices match numpy's default layout.

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <limits>

namespace earlyhelp {

/// Row and record counts.
using Index = Eigen::Index;

/// Row-major dense double matrix (numpy's C order).
using RowMatrixXd = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Row-major dense float matrix.
using RowMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Row-major int32 matrix (comparison vectors).
using RowMatrixXi = Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

using ConstMatrixRef = Eigen::Ref<const RowMatrixXd>;
using MatrixRef = Eigen::Ref<RowMatrixXd>;
using ConstMatrixRefF = Eigen::Ref<const RowMatrixXf>;
using ConstVectorRef = Eigen::Ref<const Eigen::VectorXd>;
using VectorRef = Eigen::Ref<Eigen::VectorXd>;
using ConstIntMatrixRef = Eigen::Ref<const RowMatrixXi>;

/// Explicit size_t -> Index conversion (we build with -Wconversion).
constexpr Index to_index(std::size_t n) noexcept { return static_cast<Index>(n); }
/// Explicit Index -> size_t conversion; callers guarantee n >= 0.
constexpr std::size_t to_size(Index n) noexcept { return static_cast<std::size_t>(n); }

namespace detail {
/// A missing value in a feature or score matrix (NaN, as numpy and XGBoost read it). In detail::
/// so that code saying `using namespace earlyhelp` keeps its own kNaN.
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace detail

}  // namespace earlyhelp
