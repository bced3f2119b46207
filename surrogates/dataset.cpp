#include "surrogates/dataset.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace linetwin::surrogates {
namespace {

constexpr size_t kMaxCsvBytes = size_t{1} << 30;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Splits one CSV line; quoted cells may hold commas and doubled quotes. Returns false on a
// broken quote.
bool split_csv(const std::string& line, std::vector<std::string>& cells, std::vector<size_t>& columns) {
  cells.clear();
  columns.clear();
  std::string cell;
  size_t i = 0, start = 0;
  bool quoted = false, was_quoted = false;
  for (; i <= line.size(); ++i) {
    const char c = i < line.size() ? line[i] : ',';
    if (quoted) {
      if (i == line.size()) return false;
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
    } else if (c == ',') {
      cells.push_back(cell);
      columns.push_back(start + 1);
      cell.clear();
      start = i + 1;
      was_quoted = false;
    } else if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else {
      cell += c;
    }
  }
  return true;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

}  // namespace

size_t Dataset::rows() const {
  if (!kpis.empty()) return mean.size() / kpis.size();
  return factors.empty() ? 0 : x.size() / factors.size();
}

void Dataset::add(const double* xs, const double* means, const double* halves) {
  x.insert(x.end(), xs, xs + factors.size());
  mean.insert(mean.end(), means, means + kpis.size());
  ci95.insert(ci95.end(), halves, halves + kpis.size());
}

int Dataset::factor_index(const std::string& path) const {
  for (size_t j = 0; j < factors.size(); ++j)
    if (factors[j] == path) return static_cast<int>(j);
  return -1;
}

int Dataset::kpi_index(const std::string& name) const {
  for (size_t k = 0; k < kpis.size(); ++k)
    if (kpis[k] == name) return static_cast<int>(k);
  return -1;
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "";
}

std::string dataset_csv(const Dataset& d) {
  auto name = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  std::ostringstream o;
  bool first = true;
  for (const auto& f : d.factors) o << (first ? "" : ",") << name(f), first = false;
  for (const auto& k : d.kpis) o << (first ? "" : ",") << name(k + "_mean") << ',' << name(k + "_ci95"), first = false;
  o << '\n';
  const size_t nf = d.factors.size(), nk = d.kpis.size();
  for (size_t i = 0; i < d.rows(); ++i) {
    first = true;
    for (size_t j = 0; j < nf; ++j) o << (first ? "" : ",") << csv_number(d.x[i * nf + j]), first = false;
    for (size_t k = 0; k < nk; ++k)
      o << (first ? "" : ",") << csv_number(d.mean[i * nk + k]) << ',' << csv_number(d.ci95[i * nk + k]), first = false;
    o << '\n';
  }
  return o.str();
}

Result<Dataset> parse_dataset_csv(const std::string& text, const std::string& file) {
  Dataset d;
  std::vector<std::string> cells;
  std::vector<size_t> columns;
  // Per column: where its value goes. kind 0: factor, 1: KPI mean, 2: KPI half-width.
  struct Column { int kind; size_t index; };
  std::vector<Column> layout;
  std::vector<std::string> header;
  size_t pos = 0, line_no = 0;
  bool have_header = false;
  std::vector<double> xs, means, halves;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (trim(line).empty()) continue;
    if (!split_csv(line, cells, columns))
      return Error::at(file, static_cast<int>(line_no), 0, "", "a quoted cell is not closed");
    if (!have_header) {
      have_header = true;
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string h = trim(cells[c]);
        if (h.empty())
          return Error::at(file, static_cast<int>(line_no), static_cast<int>(columns[c]), "", "column " + std::to_string(c + 1) + " of the header has no name; expected factor paths, then KPI_mean and KPI_ci95 columns");
        for (const auto& seen : header)
          if (seen == h)
            return Error::at(file, static_cast<int>(line_no), static_cast<int>(columns[c]), h, "column named twice in the header");
        header.push_back(h);
        const bool is_mean = ends_with(h, "_mean"), is_ci = ends_with(h, "_ci95");
        if (!is_mean && !is_ci) {
          if (!d.kpis.empty())
            return Error::at(file, static_cast<int>(line_no), static_cast<int>(columns[c]), h, "a factor column after the KPI columns; expected factor paths first, then KPI_mean and KPI_ci95");
          layout.push_back({0, d.factors.size()});
          d.factors.push_back(h);
          continue;
        }
        const std::string kpi = h.substr(0, h.size() - 5);
        int k = d.kpi_index(kpi);
        if (k < 0) {
          k = static_cast<int>(d.kpis.size());
          d.kpis.push_back(kpi);
        }
        layout.push_back({is_mean ? 1 : 2, static_cast<size_t>(k)});
      }
      if (d.factors.empty() || d.kpis.empty())
        return Error::at(file, static_cast<int>(line_no), 0, "", "the header needs factor columns and KPI columns (such as throughput_mean); is this a file made by 'linetwin sweep'?");
      continue;
    }
    if (cells.size() != layout.size())
      return Error::at(file, static_cast<int>(line_no), 0, "", "expected " + std::to_string(layout.size()) + " cells as in the header, got " + std::to_string(cells.size()));
    xs.assign(d.factors.size(), 0);
    means.assign(d.kpis.size(), std::numeric_limits<double>::quiet_NaN());
    halves.assign(d.kpis.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string v = trim(cells[c]);
      double value = std::numeric_limits<double>::quiet_NaN();
      if (!v.empty()) {
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
        if (ec != std::errc() || end != v.data() + v.size())
          return Error::at(file, static_cast<int>(line_no), static_cast<int>(columns[c]), header[c], "expected a number, got '" + v.substr(0, 40) + "'");
      } else if (layout[c].kind == 0) {
        return Error::at(file, static_cast<int>(line_no), static_cast<int>(columns[c]), header[c], "expected the factor's value, got an empty cell");
      }
      if (layout[c].kind == 0 && !std::isfinite(value))
        return Error::at(file, static_cast<int>(line_no), static_cast<int>(columns[c]), header[c], "expected a finite number for a factor, got '" + v + "'");
      (layout[c].kind == 0 ? xs : layout[c].kind == 1 ? means : halves)[layout[c].index] = value;
    }
    d.add(xs.data(), means.data(), halves.data());
  }
  if (!have_header)
    return Error::in(file, "the file is empty; expected a CSV made by 'linetwin sweep'");
  if (d.rows() == 0) return Error::in(file, "the file has a header but no rows of data");
  return d;
}

Result<Dataset> read_dataset_csv(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error::in(path, "cannot read file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::in(path, std::string("cannot read file: ") + std::strerror(errno));
  std::string text;
  std::vector<char> chunk(1 << 20);
  while (in && text.size() <= kMaxCsvBytes) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Error::in(path, "cannot read file: read error");
  if (text.size() > kMaxCsvBytes) return Error::in(path, "the file is larger than 1 GiB");
  return parse_dataset_csv(text, path);
}

}  // namespace linetwin::surrogates
