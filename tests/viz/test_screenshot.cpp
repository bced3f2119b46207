// `linetwin view` from outside, headless: under Xvfb with Mesa's software OpenGL it renders every
// example line and writes a PNG of the expected size that shows a scene (many colours, no colour
// covering most of the picture, machines in their state colours); bad input exits with 2.
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "viz/image_file.hpp"
#include "viz/scene.hpp"

namespace fs = std::filesystem;
using namespace linetwin::viz;

namespace {

const std::string kSrc = LINETWIN_SOURCE_DIR;
const std::string kExe = LINETWIN_EXE;

// Runs a shell command; returns its exit status and its stderr.
int run(const std::string& cmd, std::string* err = nullptr) {
  const fs::path log = fs::temp_directory_path() / ("linetwin_view_err_" + std::to_string(std::rand()) + ".txt");
  const int status = std::system((cmd + " 2>" + log.string()).c_str());
  if (err) {
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    *err = ss.str();
  }
  fs::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool near(const uint8_t* px, const std::array<float, 3>& c, int tolerance) {
  // Shading scales a colour by 0.3 to 1.1: compare chromaticity, not brightness.
  const float sum = float(px[0]) + float(px[1]) + float(px[2]) + 1;
  const float csum = c[0] + c[1] + c[2];
  int off = 0;
  for (int k = 0; k < 3; ++k) off += int(std::abs(float(px[k]) / sum - c[k] / csum) * 255);
  return off <= tolerance && sum > 60;
}

}  // namespace

TEST_CASE("view --screenshot renders every example line under Xvfb") {
  const fs::path dir = fs::temp_directory_path() / ("linetwin_view_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const char* const scenarios[] = {"scenarios/bottling_line.yaml", "scenarios/machining_cell.yaml",
                                   "scenarios/assembly_line.yaml", "tests/viz/line50.yaml"};
  // One X server for all of them (xvfb-run -a picks a free display).
  std::string script;
  for (int i = 0; i < 4; ++i)
    script += "'" + kExe + "' view '" + kSrc + "/" + scenarios[i] + "' --screenshot '" + (dir / (std::to_string(i) + ".png")).string() +
              "' --frames 30 2>'" + (dir / (std::to_string(i) + ".err")).string() + "'; echo $? >'" +
              (dir / (std::to_string(i) + ".rc")).string() + "'; ";
  std::string err;
  const int status = run("xvfb-run -a -s '-screen 0 1280x800x24' sh -c \"" + script + "\"", &err);
  REQUIRE_MESSAGE(status == 0, "xvfb-run failed: " << err);
  for (int i = 0; i < 4; ++i) {
    const std::string name = scenarios[i];
    CAPTURE(name);
    std::ifstream rc(dir / (std::to_string(i) + ".rc")), log(dir / (std::to_string(i) + ".err"));
    int code = -1;
    rc >> code;
    std::stringstream messages;
    messages << log.rdbuf();
    REQUIRE_MESSAGE(code == 0, messages.str());
    CHECK(has(messages.str(), "frames/s"));
    auto img = read_png((dir / (std::to_string(i) + ".png")).string());
    REQUIRE_MESSAGE(img.ok(), (img.ok() ? "" : img.error().message()));
    CHECK(img->width == 1280);
    CHECK(img->height == 720);
    std::map<uint32_t, uint32_t> counts;
    const std::size_t pixels = std::size_t(img->width) * img->height;
    for (std::size_t p = 0; p < pixels; ++p) {
      const uint8_t* px = &img->rgb[p * 3];
      ++counts[uint32_t(px[0]) << 16 | uint32_t(px[1]) << 8 | px[2]];
    }
    uint32_t most = 0;
    for (const auto& [c, n] : counts) most = std::max(most, n);
    CHECK(counts.size() > 150);  // a blank window has a handful
    CHECK(double(most) / double(pixels) < 0.6);
    // The scene between the panels shows machines: pixels in the busy or starved colour.
    uint32_t machine_pixels = 0;
    for (int y = 0; y < img->height; ++y)
      for (int x = 340; x < img->width - 370; ++x) {
        const uint8_t* px = &img->rgb[(std::size_t(y) * img->width + x) * 3];
        machine_pixels += near(px, state_color(MachineState::kBusy), 12) || near(px, state_color(MachineState::kStarved), 12);
      }
    CHECK(machine_pixels > 200);
    // No temporary file left beside the picture.
    for (const auto& e : fs::directory_iterator(dir)) CHECK_FALSE(has(e.path().filename().string(), ".tmp"));
  }
  fs::remove_all(dir);
}

TEST_CASE("view refuses bad input with exit status 2 and one sentence") {
  const std::string scen = "'" + kSrc + "/scenarios/bottling_line.yaml'";
  std::string err;
  CHECK(run("'" + kExe + "' view " + scen + " --screenshot /no/such/folder/x.png", &err) == 2);
  CHECK(has(err, "does not exist"));
  CHECK(run("'" + kExe + "' view " + scen + " --screenshot x.jpg", &err) == 2);
  CHECK(has(err, ".png"));
  CHECK(run("'" + kExe + "' view " + scen + " --frames 10", &err) == 2);
  CHECK(has(err, "--screenshot"));
  CHECK(run("'" + kExe + "' view " + scen + " --screenshot /tmp/x.png --frames 0", &err) == 2);
  CHECK(run("'" + kExe + "' view " + scen + " --speed fast", &err) == 2);
  CHECK(run("'" + kExe + "' view " + scen + " --select nowhere", &err) == 2);
  CHECK(has(err, "nowhere"));
  CHECK(run("'" + kExe + "' view '" + kSrc + "/tests/app/bad/unknown_key.yaml'", &err) == 2);
  CHECK(run("'" + kExe + "' view", &err) == 2);
  CHECK(run("env -u DISPLAY -u WAYLAND_DISPLAY '" + kExe + "' view " + scen, &err) == 2);
  CHECK(has(err, "display"));
  CHECK(run("env -u DISPLAY -u WAYLAND_DISPLAY '" + kExe + "' view " + scen + " --screenshot /tmp/linetwin_nodisplay.png", &err) == 2);
  CHECK(has(err, "xvfb-run"));
  CHECK_FALSE(fs::exists("/tmp/linetwin_nodisplay.png"));
}
