// Our own deterministic generator (xoshiro256**, seeded through splitmix64): identical natively and in
// WebAssembly, unlike std:: distributions. All ids and random choices of the emulator come from here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace jr {

class Prng {
 public:
  explicit Prng(std::uint64_t seed = 1) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& word : s_) word = splitmix(x);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform double in [0, 1) from the top 53 bits.
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }

  // Random (version 4) GUID in lower-case canonical form.
  std::string guid() {
    const std::uint64_t hi = next();
    const std::uint64_t lo = next();
    unsigned char b[16];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
    for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
    static constexpr char kHex[] = "0123456789abcdef";
    char out[36];
    std::size_t n = 0;
    for (int i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) out[n++] = '-';
      out[n++] = kHex[b[i] >> 4];
      out[n++] = kHex[b[i] & 15];
    }
    return std::string(out, sizeof out);
  }

  // State for snapshots.
  const std::uint64_t* state() const { return s_; }
  void setState(const std::uint64_t* words) {
    for (int i = 0; i < 4; ++i) s_[i] = words[i];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t s_[4]{};
};

}  // namespace jr
