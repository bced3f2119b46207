#include "surrogates/model_file.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

namespace linetwin::surrogates::detail {
namespace {

constexpr size_t kMaxHeaderLines = 100000;
constexpr int kMaxWidth = 1024, kMaxLayers = 16;

std::string number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "nan";
}

// Free text up to the end of a line: backslashes and line breaks escaped, and a leading space,
// which the reader would take for the separator.
std::string escape(const std::string& s) {
  std::string out;
  if (!s.empty() && s[0] == ' ') out += '\\';
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out += n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Reads whitespace-separated fields of one header line; the last field may be free text.
class Fields {
 public:
  Fields(const std::string& line, const std::string& file, int line_no)
      : line_(line), file_(file), line_no_(line_no) {}
  std::string word() {
    skip();
    const size_t start = pos_;
    while (pos_ < line_.size() && line_[pos_] != ' ') ++pos_;
    if (start == pos_) throw bad("a field is missing");
    return line_.substr(start, pos_ - start);
  }
  double num() {
    const std::string w = word();
    double v = 0;
    auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (ec != std::errc() || end != w.data() + w.size()) throw bad("expected a number, got '" + w.substr(0, 30) + "'");
    return v;
  }
  double finite() {
    const double v = num();
    if (!std::isfinite(v)) throw bad("expected a finite number");
    return v;
  }
  uint64_t whole(uint64_t hi) {
    const std::string w = word();
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (ec != std::errc() || end != w.data() + w.size() || v > hi) throw bad("expected a whole number up to " + std::to_string(hi) + ", got '" + w.substr(0, 30) + "'");
    return v;
  }
  std::string rest() {
    skip();
    if (pos_ >= line_.size()) throw bad("a name is missing");
    std::string r = unescape(line_.substr(pos_));
    pos_ = line_.size();
    return r;
  }
  void end() {
    skip();
    if (pos_ < line_.size()) throw bad("unexpected text '" + line_.substr(pos_, 30) + "'");
  }
  Error bad(const std::string& what) const { return Error::at(file_, line_no_, 0, "", "not a valid linetwin model: " + what); }

 private:
  void skip() {
    while (pos_ < line_.size() && line_[pos_] == ' ') ++pos_;
  }
  const std::string& line_;
  const std::string& file_;
  int line_no_;
  size_t pos_ = 0;
};

}  // namespace

std::string model_file_bytes(const ModelHeader& h, const std::string& weights) {
  const ModelInfo& m = h.info;
  std::ostringstream o;
  o << kModelMagic << ' ' << kModelVersion << '\n'
    << "scenario " << escape(m.scenario.empty() ? "-" : m.scenario) << '\n'
    << "source " << escape(m.source.empty() ? "-" : m.source) << '\n'
    << "time_unit " << unit_name(m.time_unit) << '\n'
    << "samples " << m.samples << '\n'
    << "replications " << m.replications << '\n'
    << "seed " << m.seed << '\n'
    << "net " << h.hidden_layers << ' ' << h.width << " silu\n";
  for (const auto& f : m.factors)
    o << "factor " << number(f.lo) << ' ' << number(f.hi) << ' ' << (f.integer ? 1 : 0) << ' '
      << number(f.base) << ' ' << escape(f.path) << '\n';
  for (size_t k = 0; k < m.kpis.size(); ++k) {
    const OutputScaling& s = h.outputs[k];
    o << "kpi " << (s.log ? "log" : "identity") << ' ' << number(s.shift) << ' ' << number(s.mean)
      << ' ' << number(s.sd) << ' ' << escape(m.kpis[k]) << '\n';
  }
  for (const auto& s : h.holdout)
    o << "holdout " << number(s.r2) << ' ' << number(s.mape) << ' ' << s.n << ' ' << escape(s.kpi) << '\n';
  if (m.objective) {
    o << "objective " << (m.objective->maximize ? "maximize" : "minimize") << ' ' << escape(m.objective->kpi) << '\n';
    for (const auto& [path, cost] : m.objective->cost) o << "cost " << number(cost) << ' ' << escape(path) << '\n';
  }
  // The checksum covers the header above and the weights: a damaged range is caught too.
  const std::string head = o.str();
  return head + "weights " + std::to_string(weights.size()) + ' ' + hex(fnv1a(head + weights)) + '\n' + weights;
}

Result<bool> check_model_start(std::string_view head, const std::string& file) {
  const std::string magic = std::string(kModelMagic) + ' ';
  if (head.substr(0, magic.size()) != magic)
    return Error::in(file, "not a linetwin surrogate model (it does not start with '" + std::string(kModelMagic) +
                               "'); make one with 'linetwin surrogate train'");
  // A copy in text mode (FTP, git's autocrlf) turns every LF into CRLF, in the weights too.
  if (head.substr(0, head.find('\n')).find('\r') != std::string_view::npos)
    return Error::at(file, 1, 0, "", "not a valid linetwin model: its lines end in CRLF (Windows line endings), as a copy in "
                                     "text mode makes them; copy the file in binary mode, or train the model again");
  return true;
}

namespace {

// The header's lines, one function per key; each throws the line's Error.

void read_version(Fields& f, const std::string& file) {
  const uint64_t version = f.whole(1000000);
  if (version != static_cast<uint64_t>(kModelVersion))
    throw Error::at(file, 1, 0, "", "the model is of format version " + std::to_string(version) +
                                        ", and this linetwin reads version " + std::to_string(kModelVersion) + "; train it again");
  f.end();
}

TimeUnit read_time_unit(Fields& f, const std::string& file, int line_no) {
  const std::string unit = f.rest();
  const auto parsed = parse_time_unit(unit);
  if (!parsed) throw Error::at(file, line_no, 0, "time_unit", "expected s, min or h, got '" + unit + "'");
  return *parsed;
}

void read_net(Fields& f, ModelHeader& h) {
  h.hidden_layers = static_cast<int>(f.whole(kMaxLayers));
  h.width = static_cast<int>(f.whole(kMaxWidth));
  if (f.word() != "silu") throw f.bad("unknown activation");
  if (h.hidden_layers < 1 || h.width < 1) throw f.bad("the network has no hidden layer");
}

scenarios::Factor read_factor(Fields& f) {
  scenarios::Factor fa;
  fa.lo = f.finite();
  fa.hi = f.finite();
  fa.integer = f.whole(1) == 1;
  fa.base = f.finite();
  fa.path = f.rest();
  if (!(fa.lo < fa.hi)) throw f.bad("a factor's range is empty");
  return fa;
}

void read_kpi(Fields& f, ModelHeader& h) {
  OutputScaling s;
  const std::string t = f.word();
  if (t != "log" && t != "identity") throw f.bad("unknown transform '" + t + "'");
  s.log = t == "log";
  s.shift = f.finite();
  s.mean = f.finite();
  s.sd = f.finite();
  if (!(s.sd > 0)) throw f.bad("a scale is not positive");
  h.outputs.push_back(s);
  h.info.kpis.push_back(f.rest());
}

KpiScore read_holdout(Fields& f) {
  KpiScore s;
  s.r2 = f.num();
  s.mape = f.num();
  s.n = f.whole(UINT64_MAX);
  s.kpi = f.rest();
  return s;
}

scenarios::Objective read_objective(Fields& f) {
  scenarios::Objective o;
  const std::string dir = f.word();
  if (dir != "maximize" && dir != "minimize") throw f.bad("expected maximize or minimize");
  o.maximize = dir == "maximize";
  o.kpi = f.rest();
  return o;
}

// A header line between the version and the weights. `net` records that the network was given.
void read_header_line(const std::string& key, Fields& f, const std::string& file, int line_no, ModelHeader& h, bool& net) {
  ModelInfo& m = h.info;
  if (key == "scenario") {
    m.scenario = f.rest();
  } else if (key == "source") {
    m.source = f.rest();
  } else if (key == "time_unit") {
    m.time_unit = read_time_unit(f, file, line_no);
  } else if (key == "samples") {
    m.samples = f.whole(UINT64_MAX);
  } else if (key == "replications") {
    m.replications = static_cast<uint32_t>(f.whole(UINT32_MAX));
  } else if (key == "seed") {
    m.seed = f.whole(UINT64_MAX);
  } else if (key == "net") {
    read_net(f, h);
    net = true;
  } else if (key == "factor") {
    m.factors.push_back(read_factor(f));
  } else if (key == "kpi") {
    read_kpi(f, h);
  } else if (key == "holdout") {
    h.holdout.push_back(read_holdout(f));
  } else if (key == "objective") {
    m.objective = read_objective(f);
  } else if (key == "cost") {
    if (!m.objective) throw f.bad("a cost before the objective");
    const double c = f.finite();
    m.objective->cost.emplace_back(f.rest(), c);
  } else {
    throw f.bad("unknown header line '" + key.substr(0, 30) + "'");
  }
}

// Where the weights line starts and where the weights after it start.
struct WeightsAt {
  size_t line_start, pos;
  int line_no;
};

// The weights line gives their size and checksum; the bytes after it must be exactly those.
std::string read_weights(Fields& f, const std::string& bytes, const WeightsAt& at, bool header_complete,
                         const std::string& file) {
  const uint64_t size = f.whole(UINT64_MAX);
  const std::string sum = f.word();
  f.end();
  if (!header_complete) throw f.bad("the header lacks the network, the factors or the KPIs");
  if (bytes.size() - at.pos != size)
    throw Error::at(file, at.line_no, 0, "", "not a valid linetwin model: the weights should be " + std::to_string(size) +
                                               " bytes and are " + std::to_string(bytes.size() - at.pos) +
                                               " (the file is cut short or damaged)");
  std::string weights = bytes.substr(at.pos);
  if (hex(fnv1a(bytes.substr(0, at.line_start) + weights)) != sum)
    throw Error::at(file, at.line_no, 0, "", "not a valid linetwin model: its checksum does not match (the file is damaged)");
  return weights;
}

}  // namespace

Result<ModelHeader> parse_model_file(const std::string& bytes, const std::string& file, std::string& weights) {
  if (auto ok = check_model_start(bytes, file); !ok) return ok.error();
  ModelHeader h;
  size_t pos = 0;
  int line_no = 0;
  bool net = false;
  try {
    for (;;) {
      const size_t eol = bytes.find('\n', pos);
      if (eol == std::string::npos || line_no >= static_cast<int>(kMaxHeaderLines))
        return Error::at(file, line_no + 1, 0, "", "not a valid linetwin model: the header ends before the weights (the file is cut short or damaged)");
      const std::string line = bytes.substr(pos, eol - pos);
      const size_t line_start = pos;
      pos = eol + 1;
      ++line_no;
      Fields f(line, file, line_no);
      const std::string key = f.word();
      if (line_no == 1) {
        read_version(f, file);
      } else if (key == "weights") {
        weights = read_weights(f, bytes, {line_start, pos, line_no}, net && !h.info.factors.empty() && !h.info.kpis.empty(), file);
        return h;
      } else {
        read_header_line(key, f, file, line_no, h, net);
      }
    }
  } catch (const Error& e) {
    return e;
  }
}

}  // namespace linetwin::surrogates::detail
