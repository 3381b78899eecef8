// Raw scores of the settlement mechanisms (SPEC 7).
#include <Eigen/SparseCore>
#include <algorithm>
#include <map>

#include "engine/settlement/settle.hpp"

namespace matchfund {

void quadratic_raw(const std::vector<Aggregate>& a, bool subtract, std::vector<Quad>& raw) {
  for (std::size_t i = 0; i < a.size();) {
    const std::uint32_t p = a[i].project;
    Quad roots = 0, sum = 0;
    std::size_t j = i;
    for (; j < a.size() && a[j].project == p; ++j) {
      roots += sqrt(a[j].c);
      sum += a[j].c;
    }
    // One donor alone has no cross terms: exactly 0 when subtracting.
    raw[p] = subtract ? (j - i == 1 ? Quad(0) : std::max(Quad(0), roots * roots - sum)) : roots * roots;
    i = j;
  }
}

void cluster_profile_raw(const std::vector<Aggregate>& a, bool subtract, std::vector<Quad>& raw) {
  // A donor's cluster is the set of projects it has counted rows for.
  std::map<std::uint32_t, std::vector<std::uint32_t>> projects_of;
  for (const Aggregate& x : a) projects_of[x.donor].push_back(x.project);
  std::map<std::vector<std::uint32_t>, std::uint32_t> cluster_ids;
  std::map<std::uint32_t, std::uint32_t> cluster_of;
  for (auto& [donor, projects] : projects_of) {
    std::sort(projects.begin(), projects.end());
    auto it = cluster_ids.try_emplace(projects, static_cast<std::uint32_t>(cluster_ids.size())).first;
    cluster_of[donor] = it->second;
  }
  for (std::size_t i = 0; i < a.size();) {
    const std::uint32_t p = a[i].project;
    std::map<std::uint32_t, Quad> by_cluster;  // B(p, g)
    std::size_t j = i;
    for (; j < a.size() && a[j].project == p; ++j) by_cluster[cluster_of[a[j].donor]] += a[j].c;
    Quad roots = 0, sum = 0;
    for (const auto& [g, b] : by_cluster) {
      roots += sqrt(b);
      sum += b;
    }
    raw[p] = subtract ? (by_cluster.size() == 1 ? Quad(0) : std::max(Quad(0), roots * roots - sum)) : roots * roots;
    i = j;
  }
}

// Pairwise matching (after Buterin's "pairwise coordination subsidies"):
// r(p) = sum over ordered donor pairs of k(i,j) sqrt(c_ip c_jp), with
// k(i,j) = M / (M + sum_q sqrt(c_iq c_jq)). The co-contribution totals are a
// sparse product of sqrt(C) with its transpose, formed one donor row at a time
// (Gustavson), so only pairs that share a project are ever touched. Long
// double accumulates; its 64-bit mantissa keeps matches within a minor unit
// for rounds of ordinary size (see docs/settlement.md).
void pairwise_raw(const std::vector<Aggregate>& a, const Quad& m, std::size_t donors, std::size_t projects,
                  std::vector<Quad>& raw) {
  using Sparse = Eigen::SparseMatrix<long double, Eigen::RowMajor>;
  std::vector<Eigen::Triplet<long double>> triplets;
  triplets.reserve(a.size());
  for (const Aggregate& x : a)
    triplets.emplace_back(static_cast<int>(x.donor), static_cast<int>(x.project),
                          static_cast<long double>(sqrt(x.c)));
  Sparse by_donor(static_cast<Eigen::Index>(donors), static_cast<Eigen::Index>(projects));
  by_donor.setFromTriplets(triplets.begin(), triplets.end());
  Sparse by_project = Sparse(by_donor.transpose());  // rows are projects

  const long double big_m = static_cast<long double>(m);
  std::vector<long double> co(donors, 0.0L);  // co[j] = sum_q sqrt(c_iq c_jq) for the current i
  std::vector<std::uint32_t> touched;
  std::vector<long double> acc(projects, 0.0L);
  for (Eigen::Index i = 0; i < by_donor.outerSize(); ++i) {
    touched.clear();
    for (Sparse::InnerIterator q(by_donor, i); q; ++q)
      for (Sparse::InnerIterator j(by_project, q.col()); j; ++j) {
        if (j.col() == i) continue;
        if (co[j.col()] == 0) touched.push_back(static_cast<std::uint32_t>(j.col()));
        co[j.col()] += q.value() * j.value();
      }
    for (Sparse::InnerIterator p(by_donor, i); p; ++p)
      for (Sparse::InnerIterator j(by_project, p.col()); j; ++j) {
        if (j.col() == i) continue;
        acc[p.col()] += big_m / (big_m + co[j.col()]) * p.value() * j.value();
      }
    for (std::uint32_t j : touched) co[j] = 0;
  }
  for (std::size_t p = 0; p < projects; ++p) raw[p] = Quad(acc[p]);
}

}  // namespace matchfund
