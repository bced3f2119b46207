// Fitting the contract's distributions to observed times: maximum likelihood for each family,
// the families compared by Akaike's information criterion, each parameter with its asymptotic
// standard error, and the Kolmogorov-Smirnov distance of the fit. Standard library only.
// Not the trace reading (calibrate.hpp) and not the empirical family, which would always win.
#pragma once
#include <string>
#include <vector>

#include "sim/line_def.hpp"

namespace linetwin::calibrate {

/// One parameter as a scenario writes it ("mean", "sd", "shape", ...), with its standard error.
struct FitParam {
  std::string name;
  double value = 0;
  double se = 0;    // NaN when not computed (triangular, erlang's k)
};

/// One family fitted to a sample.
struct DistFit {
  std::string family;            // "exponential", "lognormal", ...
  sim::Dist dist;
  std::vector<FitParam> params;
  double log_likelihood = 0;
  int free_params = 0;
  double aic = 0;                // 2 free_params - 2 log_likelihood; lower is better
  double ks = 0;                 // sup |empirical CDF - fitted CDF|
};

/// Fits every family that applies to `x` (non-negative times), best (lowest AIC) first. A sample
/// whose values are all equal gets the constant alone. Empty for fewer than two values.
std::vector<DistFit> fit_all(std::vector<double> x);

/// The log density of `d` at x (-inf outside its support).
double log_pdf(const sim::Dist& d, double x);
/// The distribution function of `d` at x.
double cdf(const sim::Dist& d, double x);
/// `d` as a scenario's YAML flow mapping, e.g. "{dist: lognormal, mean: 1.2, sd: 0.3}".
std::string dist_yaml(const sim::Dist& d);
/// The Kolmogorov distribution's p-value for distance `d` with n values (asymptotic).
double ks_p_value(double d, size_t n);

}  // namespace linetwin::calibrate
