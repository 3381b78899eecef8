#include "apps/command_line.hpp"

#include "engine/error.hpp"
#include "engine/file_io.hpp"
#include "engine/signal_cleanup.hpp"
#include "engine/ingest.hpp"
#include "engine/rules.hpp"

namespace matchfund::cli {

bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   po::variables_map& values) {
  try {
    // No positional options: any bare argument is an error.
    po::store(po::command_line_parser(args).options(options).positional({}).style(
                  po::command_line_style::allow_long | po::command_line_style::long_allow_adjacent |
                  po::command_line_style::long_allow_next)
                  .run(),
              values);
    po::notify(values);
  } catch (const po::too_many_positional_options_error&) {
    throw Error(ErrorKind::usage, "unexpected argument: every value must follow its option, such as --rules R.json");
  } catch (const po::error& e) {
    throw Error(ErrorKind::usage, e.what());
  }
  for (const auto& [name, value] : values) {
    if (name == "help") continue;  // a switch: it takes no value
    const auto* text = boost::any_cast<std::string>(&value.value());
    if (text && text->empty()) throw Error(ErrorKind::usage, "the option '--" + name + "' needs a non-empty value");
  }
  return values.count("help") == 0;
}

void require(const po::variables_map& values, std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (values.count(name) == 0) throw Error(ErrorKind::usage, std::string("the option '--") + name + "' is required");
}

void at_most_one_dash(const po::variables_map& values, std::initializer_list<const char*> names, const char* what) {
  int dashes = 0;
  for (const char* name : names)
    if (values.count(name) && values[name].as<std::string>() == "-") ++dashes;
  if (dashes > 1) throw Error(ErrorKind::usage, std::string("at most one ") + what + " may be '-'");
}

std::string value(const po::variables_map& values, const char* name) {
  return values.count(name) ? values[name].as<std::string>() : std::string();
}

po::options_description options_with_help(const std::string& usage) {
  po::options_description options(usage + "\n\nExit status: 0 success, 1 usage error, 2 invalid rules, 3 invalid "
                                          "input data, 4 I/O failure.\n\nOptions");
  options.add_options()("help", "print this help");
  return options;
}

Campaign load_campaign(const po::variables_map& values) {
  const std::string path = value(values, "rules");
  return parse_campaign(read_rules_file(path), path);
}

void load_projects(const po::variables_map& values, Catalog& catalog) {
  if (!values.count("projects")) return;
  const std::string path = value(values, "projects");
  read_projects(read_csv_file(path), path, catalog);
}

void publish_all(std::initializer_list<AtomicOutput*> outputs) {
  for (AtomicOutput* out : outputs)
    if (out) out->finish();
  // Copies into standard output or special files first (they can block, so
  // a signal must still be able to end them), then every rename with the
  // cleanup signals held back: a signal now takes effect after all of them.
  for (AtomicOutput* out : outputs)
    if (out && !out->publishes_by_rename()) out->publish();
  SignalHold hold;
  for (AtomicOutput* out : outputs)
    if (out && out->publishes_by_rename()) out->publish();
}

}  // namespace matchfund::cli
