#include "engine/report/comparison_table.hpp"

#include <cmath>

#include "engine/report/svg.hpp"

namespace matchfund::report {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string display(const std::string& cell) {
  const double v = parse_number(cell);
  return std::isnan(v) ? cell : format_number(v);
}

std::string cell_html(const std::string& raw, const std::string& content) {
  return "<td data-v=\"" + escape_xml(raw) + "\">" + content + "</td>";
}

}  // namespace

std::string comparison_table(const CsvTable& table, std::size_t key_columns, bool banded) {
  // Each shown column: its header and the table columns it reads (value, then p5 and p95 when banded).
  struct Shown {
    std::string name;
    std::size_t value, p5, p95;
  };
  std::vector<Shown> shown;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const std::string& h = table.header[c];
    if (c < key_columns || !banded) {
      shown.push_back({h, c, c, c});
    } else if (ends_with(h, ":mean") && c + 2 < table.header.size() && ends_with(table.header[c + 1], ":p5") &&
               ends_with(table.header[c + 2], ":p95")) {
      shown.push_back({h.substr(0, h.size() - 5), c, c + 1, c + 2});
      c += 2;
    }
  }
  std::string s = "<div class=\"table-scroll\"><table class=\"sortable\"><thead><tr>";
  for (const Shown& col : shown) s += "<th title=\"click to sort\">" + escape_xml(col.name) + "</th>";
  s += "</tr></thead><tbody>";
  for (const auto& row : table.rows) {
    s += "<tr>";
    for (const Shown& col : shown) {
      std::string content = escape_xml(display(row[col.value]));
      if (col.p5 != col.value && !row[col.p5].empty())
        content += "<span class=\"band\">" + escape_xml(display(row[col.p5])) + " – " +
                   escape_xml(display(row[col.p95])) + "</span>";
      s += cell_html(row[col.value], content);
    }
    s += "</tr>";
  }
  return s + "</tbody></table></div>";
}

const char* sort_script() {
  return R"JS(
document.querySelectorAll('table.sortable').forEach(function (table) {
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, column) {
    th.addEventListener('click', function () {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute('data-v'), y = b.cells[column].getAttribute('data-v');
        if (x === '' || y === '') return (x === '') - (y === '');
        var nx = Number(x), ny = Number(y);
        var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
)JS";
}

}  // namespace matchfund::report
