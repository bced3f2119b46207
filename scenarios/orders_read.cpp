// The optional `orders:` of a scenario, for `linetwin schedule SCENARIO`: what to make, when it may
// start and when it is due. Times are in the scenario's unit (or carry their own, "2h").
//
//   orders:
//     - name: o1          # unique; --set orders.o1.quantity=8
//       product: A
//       quantity: 5       # units, each one job through the product's route (default 1)
//       release: 0        # the earliest the units may enter the line (default 0)
//       due: 4h           # optional: without it the order is never late
//       weight: 2         # cost per unit of time late, for weighted tardiness (default 1)
#include <algorithm>

#include "scenarios/line_read.hpp"

namespace linetwin::scenarios::detail {
namespace {

// Each unit is a job of the plan; a plan of more is no longer a day's work for a line.
constexpr uint64_t kMaxUnits = 100'000;

}  // namespace

void read_orders(const Reader& r, const Node& root, const sim::LineDef& line, std::vector<Order>& orders) {
  const Node* n = r.get(root, "orders");
  if (!n) return;
  r.expect_seq(*n, "orders", "a list of orders, each {name, product, quantity, release, due, weight}");
  std::vector<std::string> products, names;
  for (const auto& p : line.products) products.push_back(p.name);
  uint64_t units = 0;
  for (std::size_t i = 0; i < n->items.size(); ++i) {
    const Node& item = n->items[i];
    const std::string path = item_path("orders", item, i);
    r.expect_map(item, path, "an order {name, product, quantity, release, due, weight}");
    r.check_keys(item, path, {"name", "product", "quantity", "release", "due", "weight"}, "an order");
    Order o;
    o.name = r.name(r.need(item, "name", path, "the order's name, e.g. name: o1"), path + ".name");
    if (std::find(names.begin(), names.end(), o.name) != names.end())
      r.fail(item, path + ".name", "expected a name no other order has, got '" + o.name + "' again");
    names.push_back(o.name);
    const Node& pn = r.need(item, "product", path, "the product to make, one of " + join(products));
    const std::string product = r.string(pn, path + ".product");
    const auto it = std::find(products.begin(), products.end(), product);
    if (it == products.end())
      r.fail(pn, path + ".product", "expected one of the products " + join(products) + ", got '" + product + "'");
    o.product = static_cast<sim::ProductId>(it - products.begin());
    if (const Node* q = r.get(item, "quantity"))
      o.quantity = static_cast<uint32_t>(r.integer(*q, path + ".quantity", 1, kMaxUnits));
    if (const Node* t = r.get(item, "release")) {
      o.release = r.time(*t, path + ".release");
      if (o.release < 0) r.fail(*t, path + ".release", "expected a release time of 0 or more, got " + describe(*t));
    }
    if (const Node* t = r.get(item, "due")) {
      o.due = r.time(*t, path + ".due");
      if (o.due < 0) r.fail(*t, path + ".due", "expected a due date of 0 or more, got " + describe(*t));
    }
    if (const Node* w = r.get(item, "weight")) {
      o.weight = r.number(*w, path + ".weight");
      if (o.weight < 0) r.fail(*w, path + ".weight", "expected a weight of 0 or more, got " + describe(*w));
    }
    units += o.quantity;
    if (units > kMaxUnits)
      r.fail(item, path + ".quantity", "expected at most 100000 units over all orders, got more from here on");
    orders.push_back(std::move(o));
  }
}

}  // namespace linetwin::scenarios::detail
