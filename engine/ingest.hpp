// CSV files to interned data (SPEC 2). Every row is validated; the first bad
// one throws an input Error naming the file, line and column.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/csv_reader.hpp"
#include "engine/donation_stream.hpp"

namespace matchfund {

// Reads the projects file into the catalog (category and org per project).
void read_projects(std::string_view text, const std::string& label, Catalog& catalog);

// Reads the header row of a donations file, which `reader` is at the start of.
CsvHeader read_donations_header(CsvReader& reader);
// A rough row count for a donations file of this size (peak-day rows are 60
// to 70 bytes), for reserving room.
std::size_t expected_rows(std::size_t text_bytes);
// Makes room in the catalog's donor tables for a donations file of this size.
void reserve_donors(Catalog& catalog, std::size_t text_bytes);

// Calls a reader's `consumed` (see read_donations) each time it has read
// another 16 MB of the text.
class ConsumedText {
 public:
  explicit ConsumedText(const std::function<void(std::size_t offset)>& consumed) : consumed_(consumed) {}
  // text[0, offset) is no longer read.
  void reached(std::size_t offset) {
    if (!consumed_ || offset - released_ < kStep) return;
    released_ = offset;
    consumed_(offset);
  }

 private:
  static constexpr std::size_t kStep = std::size_t{16} << 20;
  const std::function<void(std::size_t offset)>& consumed_;
  std::size_t released_ = 0;
};

// Reads a donations file. `label` names it in errors. `consumed`, when given,
// is told every few megabytes that text[0, offset) is no longer read (see
// MappedInput::release_before).
DonationStream read_donations(std::string_view text, const std::string& label, int minor_units, Catalog& catalog,
                              const std::function<void(std::size_t offset)>& consumed = {});

// One donation row's fields, checked. Shared by the donations and events readers.
struct DonationFields {
  std::string_view id;
  ParsedInstant time;
  std::uint32_t donor = 0;
  std::uint32_t project = 0;
  std::uint32_t channel = 0;
  Minor amount = 0;
};

// Column positions of the donation fields in a header; channel may be -1.
struct DonationColumns {
  int id = -1, time = -1, donor = -1, project = -1, amount = -1, channel = -1;
  static DonationColumns from(const CsvReader& reader, const CsvHeader& header);
};

// Checks and reads the id and time of the current record.
std::string_view read_id(const CsvReader& reader, int column);
ParsedInstant read_time(const CsvReader& reader, int column);
// Donor, project, amount and channel of the current record, checked but not
// yet interned. The views point into the reader's text or record.
struct DonationBody {
  std::string_view donor, project, channel;  // channel empty: cash
  Minor amount = 0;
};
DonationBody check_donation_body(const CsvReader& reader, const DonationColumns& columns, int minor_units);

// Checks and reads donor, project, amount and channel, interning the names.
void read_donation_body(const CsvReader& reader, const DonationColumns& columns, int minor_units,
                        Catalog& catalog, DonationFields& out);

}  // namespace matchfund
