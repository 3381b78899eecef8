#include "engine/settlement/settle.hpp"

#include <algorithm>
#include <numeric>

namespace matchfund {
namespace {

using Int256 = boost::multiprecision::int256_t;
using boost::multiprecision::cpp_int;

Quad to_quad(const Int256& v) {
  // Values here are >= 0. Exact below 2^113; beyond, rounded once, within Quad's precision.
  static const Quad kTwoTo100 = boost::multiprecision::ldexp(Quad(1), 100);
  static const Int256 kLowMask = (Int256(1) << 100) - 1;
  const Int256 hi = v >> 100, lo = v & kLowMask;
  return Quad(static_cast<__int128>(hi)) * kTwoTo100 + Quad(static_cast<__int128>(lo));
}

Quad to_quad(const Rational& r) {
  // numerator and denominator as Quad, both rounded once.
  cpp_int n = boost::multiprecision::numerator(r), d = boost::multiprecision::denominator(r);
  return static_cast<Quad>(n) / static_cast<Quad>(d);
}

const Int256 kScale18 = Int256(kExactOne);
const Int256 kScale36 = kScale18 * kScale18;

struct Counted {
  std::uint32_t project;
  std::uint32_t donor;
  Int256 weighted;  // amount after weights, in 10^-36 units
};

// Distributes the minor units left after rounding down, one each by largest
// fractional part (ties: project id in byte order), within the cap.
void round_to_minor_units(PoolResult& result, const std::vector<Quad>& exact_units, Minor budget, Minor cap_units,
                          const Contributions& contributions) {
  std::vector<Quad> fraction(result.projects.size());
  Minor spent = 0;
  for (std::size_t k = 0; k < result.projects.size(); ++k) {
    Quad x = exact_units[k];
    Quad whole = floor(x);
    Quad frac = x - whole;
    // Rounding noise far below a minor unit must not create or hide a fraction.
    const Quad noise = Quad(1e-24) * (1 + whole);
    if (frac < noise) {
      frac = 0;
    } else if (1 - frac < noise) {
      whole += 1;
      frac = 0;
    }
    result.projects[k].match = static_cast<Minor>(whole);
    fraction[k] = frac;
    spent += result.projects[k].match;
  }
  std::vector<std::size_t> order(result.projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (fraction[a] != fraction[b]) return fraction[a] > fraction[b];
    return contributions.projects.name(result.projects[a].project) <
           contributions.projects.name(result.projects[b].project);
  });
  Minor left = budget - spent;
  for (std::size_t k : order) {
    if (left <= 0) break;
    if (fraction[k] > 0 && result.projects[k].match + 1 <= cap_units) {
      ++result.projects[k].match;
      --left;
    }
  }
}

}  // namespace

void apply_cap(std::vector<Quad>& shares, const Quad& cap) {
  for (;;) {
    Quad excess = 0;
    for (Quad& s : shares) {
      if (s > cap) {
        excess += s - cap;
        s = cap;
      }
    }
    if (excess == 0) return;
    Quad below = 0;
    for (const Quad& s : shares)
      if (s < cap) below += s;
    if (below == 0) return;  // nothing can take the excess: it stays unspent
    const Quad factor = 1 + excess / below;
    for (Quad& s : shares)
      if (s < cap) s *= factor;
  }
}

PoolResult settle_pool(const SettlementPool& pool, const Contributions& in, int minor_units) {
  // 1. Counted rows: amount after weights > 0 and not below min_contribution.
  const Int256 min_weighted = Int256(pool.min_contribution) * kScale18;
  std::vector<Counted> rows;
  rows.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (pool.binary_weights && in.weight[i] != kExactOne) continue;
    Int256 weighted = Int256(in.amount[i]) * (pool.binary_weights ? kScale18 : Int256(in.weight[i]));
    if (weighted <= 0 || weighted < min_weighted) continue;
    rows.push_back({in.project[i], in.donor[i], weighted});
  }
  std::sort(rows.begin(), rows.end(), [](const Counted& a, const Counted& b) {
    return a.project != b.project ? a.project < b.project : a.donor < b.donor;
  });

  // 2. c(i,p): the donor's counted rows for the project, summed or averaged.
  const Quad scale36 = to_quad(kScale36);
  std::vector<Aggregate> aggregates;
  std::vector<Rational> exact_c;  // pro_rata works on exact values
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t j = i;
    Int256 sum = 0;
    while (j < rows.size() && rows[j].project == rows[i].project && rows[j].donor == rows[i].donor) sum += rows[j++].weighted;
    const long long count = pool.aggregate_mean ? static_cast<long long>(j - i) : 1;
    aggregates.push_back({rows[i].project, rows[i].donor, to_quad(sum) / (scale36 * count)});
    if (pool.mechanism == Mechanism::pro_rata) exact_c.emplace_back(cpp_int(sum), cpp_int(kScale36 * count));
    i = j;
  }

  // 3. Per project: donors and contributed; raw score by mechanism.
  const std::size_t project_count = in.projects.size();
  std::vector<std::uint64_t> donors(project_count, 0);
  std::vector<Quad> contributed(project_count, 0), raw(project_count, 0);
  std::vector<Rational> exact_raw;
  std::vector<std::uint8_t> donor_seen(in.donors.size(), 0);
  PoolResult result;
  for (const Aggregate& a : aggregates) {
    ++donors[a.project];
    contributed[a.project] += a.c;
    if (!donor_seen[a.donor]) {
      donor_seen[a.donor] = 1;
      ++result.donors;
    }
  }
  switch (pool.mechanism) {
    case Mechanism::quadratic:
      quadratic_raw(aggregates, pool.subtract_contributions, raw);
      break;
    case Mechanism::cluster_profile:
      cluster_profile_raw(aggregates, pool.subtract_contributions, raw);
      break;
    case Mechanism::pairwise:
      pairwise_raw(aggregates, to_quad(pool.pairwise_m), in.donors.size(), project_count, pool.budget, raw);
      break;
    case Mechanism::pro_rata: {
      exact_raw.assign(project_count, Rational(0));
      const Rational ratio(pool.ratio.micros, kRatioScale);
      for (std::size_t k = 0; k < aggregates.size(); ++k) exact_raw[aggregates[k].project] += exact_c[k];
      for (std::size_t p = 0; p < project_count; ++p) {
        exact_raw[p] *= ratio;
        raw[p] = to_quad(exact_raw[p]);
      }
      break;
    }
  }

  // 4. Output rows in byte order of the project id.
  std::vector<std::uint32_t> present;
  for (std::uint32_t p = 0; p < project_count; ++p)
    if (donors[p] > 0) present.push_back(p);
  std::sort(present.begin(), present.end(),
            [&](std::uint32_t a, std::uint32_t b) { return in.projects.name(a) < in.projects.name(b); });
  for (std::uint32_t p : present) {
    ProjectResult r;
    r.project = p;
    r.donors = donors[p];
    r.contributed = contributed[p];
    r.raw = raw[p];
    result.projects.push_back(r);
  }

  // 5. Shares and money.
  const Rational budget_major(pool.budget, boost::multiprecision::pow(cpp_int(10), minor_units));
  const Rational cap_money = pool.cap * budget_major;  // in major units
  const Minor cap_units = static_cast<Minor>(
      cpp_int(boost::multiprecision::numerator(cap_money) * boost::multiprecision::pow(cpp_int(10), minor_units) /
              boost::multiprecision::denominator(cap_money)));
  if (pool.mechanism == Mechanism::pro_rata) {
    Rational total = 0;
    for (std::uint32_t p : present) total += exact_raw[p];
    if (total <= budget_major) {
      // Undersubscribed: every project gets its raw score, within the cap.
      for (ProjectResult& r : result.projects) {
        Rational paid = std::min(exact_raw[r.project], cap_money);
        r.share = to_quad(paid / budget_major);
        cpp_int units = boost::multiprecision::numerator(paid) * boost::multiprecision::pow(cpp_int(10), minor_units) /
                        boost::multiprecision::denominator(paid);
        r.match = static_cast<Minor>(units);
        result.matched += r.match;
      }
      return result;
    }
    for (ProjectResult& r : result.projects) r.share = to_quad(exact_raw[r.project] / total);
  } else {
    Quad total = 0;
    for (const ProjectResult& r : result.projects) total += r.raw;
    if (total <= 0) return result;  // every raw score is 0: the pool pays nothing
    for (ProjectResult& r : result.projects) r.share = r.raw / total;
  }
  std::vector<Quad> shares;
  for (const ProjectResult& r : result.projects) shares.push_back(r.share);
  apply_cap(shares, to_quad(pool.cap));
  std::vector<Quad> exact_units;
  for (std::size_t k = 0; k < shares.size(); ++k) {
    result.projects[k].share = shares[k];
    exact_units.push_back(Quad(pool.budget) * shares[k]);
  }
  round_to_minor_units(result, exact_units, pool.budget, cap_units, in);
  for (const ProjectResult& r : result.projects) result.matched += r.match;
  return result;
}

}  // namespace matchfund
