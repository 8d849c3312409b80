#include "op_test.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>

#include "gpu_fixture.hpp"
#include "vkcolor/check/harness.hpp"

namespace vkcolor::test {

void require_op_check_passes(const std::string& op) {
    auto& ctx = gpu();
    const auto& c = check::find_op_check(op);
    auto results = c.run(ctx);
    REQUIRE(!results.empty());
    for (const auto& r : results) {
        for (const auto& o : r.outputs) {
            INFO(op << " " << r.shape << ": " << o.output << " error " << o.error << " (tolerance " << o.tolerance << ")");
            CHECK(o.pass());
        }
    }
    require_no_validation_messages();
}

double dot(const HostTensor& y, const HostTensor& g) {
    double s = 0;
    for (size_t i = 0; i < y.data.size(); ++i) s += double(y.data[i]) * g.data[i];
    return s;
}

double finite_difference_error(const std::function<double(const HostTensor&)>& f, const HostTensor& x,
                               const HostTensor& grad, float eps, int samples, uint32_t seed) {
    REQUIRE(grad.shape == x.shape);
    double scale = 1e-6;
    for (float g : grad.data) scale = std::max(scale, double(std::fabs(g)));
    std::mt19937 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, x.data.size() - 1);
    double worst = 0;
    int n = std::min<int>(samples, static_cast<int>(x.data.size()));
    for (int s = 0; s < n; ++s) {
        size_t i = samples >= static_cast<int>(x.data.size()) ? static_cast<size_t>(s) : pick(rng);
        HostTensor plus = x, minus = x;
        plus.data[i] += eps;
        minus.data[i] -= eps;
        // The step actually taken in float, not the nominal eps.
        double h = double(plus.data[i]) - double(minus.data[i]);
        double numeric = (f(plus) - f(minus)) / h;
        worst = std::max(worst, std::fabs(numeric - grad.data[i]) / scale);
    }
    return worst;
}

const HostTensor& Golden::operator[](const std::string& name) const {
    auto it = tensors.find(name);
    if (it == tensors.end()) FAIL("golden file has no tensor '" << name << "'");
    return it->second;
}

Golden load_golden(const std::string& name) {
    std::string path = std::string(VKCOLOR_SOURCE_DIR) + "/tests/golden/" + name + ".json";
    std::ifstream in(path);
    INFO("golden file " << path << " (regenerate with tools/golden/make_golden.py)");
    REQUIRE(in.good());
    auto doc = nlohmann::json::parse(in);
    Golden g;
    g.params = doc["params"];
    for (auto& [key, t] : doc["tensors"].items()) {
        auto shape = t["shape"].get<std::vector<uint32_t>>();
        REQUIRE(shape.size() == 4);
        HostTensor h(Shape{shape[0], shape[1], shape[2], shape[3]});
        h.data = t["data"].get<std::vector<float>>();
        REQUIRE(h.data.size() == h.shape.count());
        g.tensors[key] = std::move(h);
    }
    return g;
}

} // namespace vkcolor::test
