// Raw scores of the settlement mechanisms (SPEC 7).
//
// Sums of square roots are taken in a canonical order (ascending value), so
// a project's score depends only on the multiset of its contributions: the
// order of the input rows cannot change a result, and two projects with the
// same contributions tie exactly (the tie is then broken by project id).
#include <Eigen/SparseCore>
#include <algorithm>
#include <map>

#include "engine/settlement/settle.hpp"

namespace matchfund {
namespace {

// (sum sqrt x)^2, minus sum x when subtracting; one value alone has no cross
// terms, so it scores exactly 0 when subtracting.
Quad square_of_root_sum(std::vector<Quad>& values, bool subtract) {
  std::sort(values.begin(), values.end());
  Quad roots = 0, sum = 0;
  for (const Quad& x : values) {
    roots += sqrt(x);
    sum += x;
  }
  if (!subtract) return roots * roots;
  if (values.size() == 1) return 0;
  return std::max(Quad(0), roots * roots - sum);
}

}  // namespace

void quadratic_raw(const std::vector<Aggregate>& a, bool subtract, std::vector<Quad>& raw) {
  std::vector<Quad> values;
  for (std::size_t i = 0; i < a.size();) {
    const std::uint32_t p = a[i].project;
    values.clear();
    for (; i < a.size() && a[i].project == p; ++i) values.push_back(a[i].c);
    raw[p] = square_of_root_sum(values, subtract);
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
  std::vector<Quad> values;
  for (std::size_t i = 0; i < a.size();) {
    const std::uint32_t p = a[i].project;
    std::map<std::uint32_t, std::vector<Quad>> by_cluster;
    for (; i < a.size() && a[i].project == p; ++i) by_cluster[cluster_of[a[i].donor]].push_back(a[i].c);
    values.clear();
    for (auto& [g, members] : by_cluster) {  // B(p, g), itself summed in canonical order
      std::sort(members.begin(), members.end());
      Quad b = 0;
      for (const Quad& c : members) b += c;
      values.push_back(b);
    }
    raw[p] = square_of_root_sum(values, subtract);
  }
}

namespace {

// Pairwise matching (after Buterin's "pairwise coordination subsidies"):
// r(p) = sum over ordered donor pairs of k(i,j) sqrt(c_ip c_jp), with
// k(i,j) = M / (M + sum_q sqrt(c_iq c_jq)). The co-contribution totals are a
// sparse product of sqrt(C) with its transpose, formed one donor row at a time
// (Gustavson), so only pairs that share a project are ever touched; never a
// dense donors x donors matrix. Eigen holds the sparsity pattern (each
// nonzero's value is the index of its aggregate); the arithmetic runs in
// `Real`, chosen by the caller for the precision the budget needs.
template <class Real>
void pairwise_kernel(const std::vector<Aggregate>& a, const Quad& m, std::size_t donors, std::size_t projects,
                     std::vector<Quad>& raw) {
  using Pattern = Eigen::SparseMatrix<double, Eigen::RowMajor, std::int64_t>;
  std::vector<Eigen::Triplet<double, std::int64_t>> triplets;
  std::vector<Real> root(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    triplets.emplace_back(a[k].donor, a[k].project, static_cast<double>(k));
    root[k] = static_cast<Real>(sqrt(a[k].c));
  }
  Pattern by_donor(static_cast<Eigen::Index>(donors), static_cast<Eigen::Index>(projects));
  by_donor.setFromTriplets(triplets.begin(), triplets.end());
  const Pattern by_project = Pattern(by_donor.transpose());  // rows are projects
  auto index = [](double v) { return static_cast<std::size_t>(v); };

  // Each project's aggregates in canonical order (ascending c), for every sum over its donors.
  std::vector<std::vector<std::size_t>> canonical(projects);
  for (std::size_t k = 0; k < a.size(); ++k) canonical[a[k].project].push_back(k);
  for (auto& list : canonical)
    std::stable_sort(list.begin(), list.end(), [&a](std::size_t x, std::size_t y) { return a[x].c < a[y].c; });

  const Real big_m = static_cast<Real>(m);
  std::vector<Real> co(donors, Real(0));  // co[j] = sum_q sqrt(c_iq c_jq) for the current donor i
  std::vector<std::int64_t> touched;
  std::vector<Real> term(a.size(), Real(0));  // sqrt(c_ip) * sum_j k(i,j) sqrt(c_jp), by aggregate
  for (Eigen::Index i = 0; i < by_donor.outerSize(); ++i) {
    touched.clear();
    for (Pattern::InnerIterator q(by_donor, i); q; ++q)
      for (Pattern::InnerIterator j(by_project, q.col()); j; ++j) {
        if (j.col() == i) continue;
        if (co[j.col()] == 0) touched.push_back(j.col());
        co[j.col()] += root[index(q.value())] * root[index(j.value())];
      }
    for (Pattern::InnerIterator p(by_donor, i); p; ++p) {
      Real sum = 0;
      for (std::size_t k : canonical[p.col()])
        if (a[k].donor != i) sum += big_m / (big_m + co[a[k].donor]) * root[k];
      term[index(p.value())] = sum * root[index(p.value())];
    }
    for (std::int64_t j : touched) co[j] = 0;
  }
  for (std::size_t p = 0; p < projects; ++p) {
    Real sum = 0;
    for (std::size_t k : canonical[p]) sum += term[k];
    raw[p] = Quad(sum);
  }
}

}  // namespace

void pairwise_raw(const std::vector<Aggregate>& a, const Quad& m, std::size_t donors, std::size_t projects,
                  Minor budget, std::vector<Quad>& raw) {
  // 80-bit long double (64-bit mantissa) keeps each match far within a minor
  // unit while budget * 2^-40 is below one unit; larger budgets need the
  // 113-bit mantissa, at a higher cost.
  if (budget < (Minor{1} << 40)) {
    pairwise_kernel<long double>(a, m, donors, projects, raw);
  } else {
    pairwise_kernel<Quad>(a, m, donors, projects, raw);
  }
}

}  // namespace matchfund
