// YAML text into the module's own tree, built from yaml-cpp's parser events (not YAML::Load), with
// a node budget that refuses alias bombs and huge documents as they are read.
#include "scenarios/yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <new>
#include <sstream>
#include <utility>

namespace linetwin::scenarios::detail {
namespace {

// yaml-cpp's own depth guard stops parsing well before this; it is a second fence for the copy.
constexpr std::size_t kMaxDepth = 2000;

int one_based(int v) { return v >= 0 ? v + 1 : 0; }

const char* const kTooDeep =
    "invalid YAML: nesting too deep (expected lists and mappings nested at most a few hundred "
    "levels, got more: the depth limit was passed)";

[[noreturn]] void fail_at(const std::string& file, const YAML::Mark& mark, std::string what) {
  throw ScenarioError{Error::at(file, one_based(mark.line), one_based(mark.column), "", std::move(what))};
}

// Builds the tree from the parser's events, counting every node made (aliases included) so that a
// document is refused as soon as it passes the budget, before it costs time or memory. yaml-cpp's
// own Load would build its node graph first, and that takes seconds and gigabytes on a big file.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, Origin origin) : file_(file), origin_(origin) {}

  Node take_root() { return std::move(root_); }
  /// Where the innermost mapping (or list) still open began, if any: an unclosed '{' or '['.
  const YAML::Mark* open_mark(Node::Kind kind) const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (it->node.kind == kind) return &it->mark;
    return nullptr;
  }
  int documents() const { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      fail_at(file_, mark, "expected one YAML document, got more (separated by '---'); put each "
                           "scenario in its own file");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    finish(make(Node::Kind::kNull, mark), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || !anchors_[anchor].done)
      fail_at(file_, mark, "an alias refers to an anchor that is not complete yet (a node containing itself)");
    spend(mark, anchors_[anchor].size, anchors_[anchor].text_bytes);
    Node copy = anchors_[anchor].node;
    copy.line = one_based(mark.line);
    copy.column = one_based(mark.column);
    add(std::move(copy), mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n = make(Node::Kind::kScalar, mark);
    spend(mark, 0, value.size());
    n.text = value;
    finish(std::move(n), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(make(Node::Kind::kSeq, mark), anchor, mark);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(make(Node::Kind::kMap, mark), anchor, mark);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    std::size_t count_at_start = 0;
    std::size_t text_at_start = 0;
    bool has_key = false;   // a mapping holds a key waiting for its value
    YAML::Mark mark;
  };
  struct Anchored {
    Node node;
    std::size_t size = 0;   // nodes in the subtree, charged again at each alias
    std::size_t text_bytes = 0;  // the text of its scalars, charged again likewise
    bool done = false;
  };

  Node make(Node::Kind kind, const YAML::Mark& mark) {
    spend(mark, 1);
    Node n;
    n.kind = kind;
    n.origin = origin_;
    n.line = one_based(mark.line);
    n.column = one_based(mark.column);
    return n;
  }

  // Nodes and text are counted apart: an alias of one long string costs one node, and a few of
  // them nested would copy gigabytes within the node budget.
  void spend(const YAML::Mark& mark, std::size_t nodes, std::size_t text_bytes = 0) {
    count_ += nodes;
    text_ += text_bytes;
    if (count_ > kNodeBudget)
      fail_at(file_, mark, "expected at most " + std::to_string(kNodeBudget) +
                               " values in the document, counting each use of an alias '*' (a "
                               "scenario has a few thousand), got more; refusing it");
    if (text_ > kTextBudget)
      fail_at(file_, mark, "expected at most " + std::to_string(kTextBudget >> 20) +
                               " MiB of text in the document, counting each use of an alias '*' (a "
                               "scenario has a few kilobytes), got more; refusing it");
  }

  void open(Node n, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (stack_.size() >= kMaxDepth) fail_at(file_, mark, kTooDeep);
    if (anchor) remember(anchor);
    stack_.push_back(Frame{std::move(n), anchor, count_ - 1, text_, false, mark});
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor) {
      anchors_[f.anchor].node = f.node;
      anchors_[f.anchor].size = count_ - f.count_at_start;
      anchors_[f.anchor].text_bytes = text_ - f.text_at_start;
      anchors_[f.anchor].done = true;
      // The stored copy costs memory too.
      spend(f.mark, anchors_[f.anchor].size, anchors_[f.anchor].text_bytes);
    }
    add(std::move(f.node), f.mark);
  }

  void remember(YAML::anchor_t anchor) {
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1);
    anchors_[anchor] = Anchored{};
  }

  void finish(Node n, YAML::anchor_t anchor) {
    YAML::Mark mark;
    mark.line = n.line - 1;
    mark.column = n.column - 1;
    if (anchor) {
      remember(anchor);
      anchors_[anchor] = Anchored{n, 1, n.text.size(), true};
      spend(mark, 1, n.text.size());
    }
    add(std::move(n), mark);
  }

  void add(Node n, const YAML::Mark& mark) {
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == Node::Kind::kSeq) {
      top.node.items.push_back(std::move(n));
    } else if (top.has_key) {
      top.node.items.push_back(std::move(n));
      top.has_key = false;
    } else {
      if (n.kind != Node::Kind::kScalar)
        fail_at(file_, mark, std::string("expected a plain key name, got ") +
                                 (n.kind == Node::Kind::kNull ? "an empty or null key" : "a list or mapping as a key"));
      top.node.keys.push_back(Key{std::move(n.text), n.line, n.column, origin_});
      top.has_key = true;
    }
  }

  const std::string& file_;
  Origin origin_;
  Node root_;
  std::vector<Frame> stack_;
  std::vector<Anchored> anchors_;
  std::size_t count_ = 0;
  std::size_t text_ = 0;     // bytes of scalar text, aliases included
  int documents_ = 0;
};
}  // namespace

const Node* Node::find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i].text == key) return &items[i];
  return nullptr;
}

Node* Node::find(std::string_view key) {
  return const_cast<Node*>(static_cast<const Node&>(*this).find(key));
}

Node parse_yaml(const std::string& text, const std::string& file, Origin origin) {
  TreeBuilder builder(file, origin);
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    fail_at(file, e.mark, kTooDeep);
  } catch (const YAML::Exception& e) {
    // yaml-cpp notices an unclosed '[' or '{' where the text ends up; the bracket is what to fix.
    bool seq = e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW;
    bool map = e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW;
    if (seq || map) {
      if (const YAML::Mark* at = builder.open_mark(seq ? Node::Kind::kSeq : Node::Kind::kMap))
        fail_at(file, *at, std::string("invalid YAML: expected a closing '") + (seq ? "]" : "}") +
                               "' for the '" + (seq ? "[" : "{") + "' opened here, got none (" + e.msg + ")");
    }
    fail_at(file, e.mark, "invalid YAML: " + e.msg);
  } catch (const std::bad_alloc&) {
    throw ScenarioError{Error::in(file, "the document is too large to hold in memory")};
  }
  if (builder.documents() == 0) return Node{Node::Kind::kNull, origin, 0, 0, {}, {}, {}};
  return builder.take_root();
}

std::string describe(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kNull: return "nothing";
    case Node::Kind::kSeq: return "a list";
    case Node::Kind::kMap: return "a mapping";
    case Node::Kind::kScalar: break;
  }
  constexpr std::size_t kShown = 60;
  if (node.text.size() > kShown) return "'" + node.text.substr(0, kShown) + "...'";
  return "'" + node.text + "'";
}

}  // namespace linetwin::scenarios::detail
