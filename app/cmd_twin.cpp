// `linetwin twin SCENARIO --broker HOST:PORT`: the live twin. Flags and signals here; the loop is
// live::LiveTwin (twin/live/twin_session.hpp).
#include <cstdio>
#include <iostream>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/live_common.hpp"
#include "twin/live/twin_session.hpp"

namespace linetwin::cli {

int cmd_twin(const Args& args) {
  const std::string where = "linetwin twin";
  if (args.positional.size() != 1)
    return fail(Error::in(where, "expects one scenario file, e.g. 'linetwin twin line.yaml --broker 127.0.0.1:1883'"));
  if (!args.value("broker")) return fail(Error::in(where, "needs --broker HOST:PORT"));
  auto broker = live::parse_broker(*args.value("broker"), "twin");
  if (!broker) return fail(broker.error());
  auto prefix = prefix_flag(args);
  if (!prefix) return fail(prefix.error());
  auto overrides = overrides_of(args);
  if (!overrides) return fail(overrides.error());
  auto sc = scenarios::load_scenario(args.positional[0], *overrides);
  if (!sc) return fail(sc.error());
  // The mirror places one item per machine; a batch holds several.
  for (const auto& st : sc->line.stations)
    if (st.has_batch())
      return fail(Error::at_key(args.positional[0], "stations." + st.name + ".batch",
                                "the live twin cannot follow a batch station yet; run it on a copy of the line without "
                                "the batch of station '" + st.name + "'"));

  live::TwinSettings settings;
  settings.prefix = *prefix;
  auto publish_every = number_flag(args, "publish-every", 0.01, 86400, 1);
  if (!publish_every) return fail(publish_every.error());
  auto forecast_every = number_flag(args, "forecast-every", 0.01, 86400, 5);
  if (!forecast_every) return fail(forecast_every.error());
  auto timeout = number_flag(args, "connect-timeout", 0, 3600, 10);
  if (!timeout) return fail(timeout.error());
  settings.publish_every = *publish_every;
  settings.forecast_every = *forecast_every;
  settings.forecast.horizon = sc->run.horizon;
  if (auto v = args.value("lookahead")) {
    auto t = parse_time(*v, sc->line.time_unit);
    if (!t || !(*t > 0) || *t > 1e9)
      return fail(Error::in(where, "option '--lookahead' expects a positive time such as 60, '90s' or '8h', got '" + *v + "'"));
    settings.forecast.horizon = *t;
  }
  auto reps = uint_flag(args, "reps", 2, 10000, 20);
  if (!reps) return fail(reps.error());
  settings.forecast.replications = static_cast<uint32_t>(*reps);
  auto seed = uint_flag(args, "seed", 0, UINT64_MAX, sc->run.seed);
  if (!seed) return fail(seed.error());
  settings.forecast.seed = *seed;

  const auto& stop = stop_on_signals();
  live::LiveTwin twin(sc->line, settings);
  const auto given_id = args.value("client-id");
  const std::string client_id = given_id.value_or(default_client_id("twin", *prefix));
  auto client = live::MqttClient::connect(*broker, client_id, {twin.events_topic()}, *timeout, "twin", &stop);
  if (!client && stop) {
    std::fprintf(stderr, "twin: stopped by %s before the broker at %s answered; nothing was mirrored\n",
                 signal_name(stop_signal()).c_str(), live::broker_text(*broker).c_str());
    return 128 + stop_signal();
  }
  if (!client) return fail(client.error());
  // An id of this process alone would leave its session on the broker for good; one given is kept.
  if (!given_id) (*client)->forget_session_at_close();
  std::fprintf(stderr, "twin: mirroring '%s' (%zu stations) from %s on %s as '%s'; state on %s, forecasts of the "
                       "next %g %s on %s\n",
               sc->line.name.c_str(), sc->line.stations.size(), twin.events_topic().c_str(),
               live::broker_text(*broker).c_str(), client_id.c_str(), twin.state_topic().c_str(), settings.forecast.horizon,
               unit_name(sc->line.time_unit).c_str(), twin.forecast_topic().c_str());
  twin.run(**client, stop);
  const auto& c = twin.counters();
  std::fprintf(stderr, "twin: stopped. %llu messages: %llu applied, %llu malformed, %llu unknown, %llu out of order, "
                       "%llu duplicates; %llu connections; %llu forecasts; mirror at t=%.1f s: WIP %llu, %llu finished\n",
               static_cast<unsigned long long>(c.received), static_cast<unsigned long long>(c.applied),
               static_cast<unsigned long long>(c.malformed), static_cast<unsigned long long>(c.unknown),
               static_cast<unsigned long long>(c.out_of_order), static_cast<unsigned long long>(c.duplicate),
               static_cast<unsigned long long>((*client)->connections()),
               static_cast<unsigned long long>(twin.forecasts()), twin.mirror().now(),
               static_cast<unsigned long long>(twin.mirror().wip()), static_cast<unsigned long long>(twin.mirror().finished()));
  if (args.has("json")) std::cout << live::state_json(twin.mirror(), c, (*client)->connections()) << "\n";
  return 0;
}

}  // namespace linetwin::cli
