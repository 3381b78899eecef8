// A minimal PNG decoder for the tests: 8-bit RGB or RGBA, not interlaced (what
// Chromium's screenshots are), inflated with zlib and unfiltered per row.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace matchfund::test_support {

struct PngImage {
  std::uint32_t width = 0, height = 0;
  unsigned channels = 0;            // 3 (RGB) or 4 (RGBA)
  std::vector<std::uint8_t> pixels; // rows top to bottom, channels bytes per pixel
  std::string error;                // non-empty when the file could not be decoded
};

inline std::uint32_t png_u32(const std::string& b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}

inline int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

inline PngImage decode_png(const std::string& file) {
  PngImage img;
  if (file.size() < 8 || file.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return img.error = "not a PNG", img;
  std::string idat;
  for (std::size_t at = 8; at + 12 <= file.size();) {
    const std::uint32_t length = png_u32(file, at);
    const std::string type = file.substr(at + 4, 4);
    if (at + 12 + length > file.size()) return img.error = "truncated chunk " + type, img;
    if (type == "IHDR") {
      img.width = png_u32(file, at + 8);
      img.height = png_u32(file, at + 12);
      const int depth = std::uint8_t(file[at + 16]), colour = std::uint8_t(file[at + 17]),
                interlace = std::uint8_t(file[at + 20]);
      if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0)
        return img.error = "unsupported PNG layout (depth " + std::to_string(depth) + ", colour type " +
                           std::to_string(colour) + ", interlace " + std::to_string(interlace) + ")",
               img;
      img.channels = colour == 6 ? 4 : 3;
    } else if (type == "IDAT") {
      idat += file.substr(at + 8, length);
    }
    at += 12 + length;
  }
  if (img.channels == 0) return img.error = "no IHDR", img;
  const std::size_t stride = std::size_t(img.width) * img.channels;
  std::vector<std::uint8_t> raw((stride + 1) * img.height);
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_size != raw.size())
    return img.error = "IDAT does not inflate to the image size", img;
  img.pixels.resize(stride * img.height);
  for (std::size_t y = 0; y < img.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    std::uint8_t* out = &img.pixels[y * stride];
    const std::uint8_t* up = y ? &img.pixels[(y - 1) * stride] : nullptr;
    for (std::size_t x = 0; x < stride; ++x) {
      const int a = x >= img.channels ? out[x - img.channels] : 0, b = up ? up[x] : 0,
                c = up && x >= img.channels ? up[x - img.channels] : 0;
      int predictor = 0;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) / 2; break;
        case 4: predictor = paeth(a, b, c); break;
        default: return img.error = "bad filter type " + std::to_string(filter), img;
      }
      out[x] = std::uint8_t(in[x] + predictor);
    }
  }
  return img;
}

}  // namespace matchfund::test_support
