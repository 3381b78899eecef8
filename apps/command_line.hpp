// Shared command-line handling for the subcommands (Boost.Program_options):
// --name VALUE or --name=VALUE, every problem a usage Error (exit 1).
#pragma once

#include <boost/program_options.hpp>
#include <initializer_list>
#include <string>
#include <vector>

namespace matchfund::cli {

namespace po = boost::program_options;

// Parses args (without the program and subcommand names). Throws a usage Error
// on an unknown, repeated or valueless option, or a stray argument. Returns
// false when --help was given (the caller prints help).
bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   po::variables_map& values);

// Throws a usage Error when one of `names` is missing.
void require(const po::variables_map& values, std::initializer_list<const char*> names);

// Throws a usage Error when more than one of these paths is "-".
void at_most_one_dash(const po::variables_map& values, std::initializer_list<const char*> names,
                      const char* what);

std::string value(const po::variables_map& values, const char* name);

// The options every subcommand has: --help, with `usage` as the help text's head.
po::options_description options_with_help(const std::string& usage);

}  // namespace matchfund::cli

namespace matchfund {
class AtomicOutput;
struct Campaign;
struct Catalog;
}  // namespace matchfund

namespace matchfund::cli {

// Reads and parses --rules (allocation rules).
Campaign load_campaign(const po::variables_map& values);
// Reads --projects into the catalog when it was given.
void load_projects(const po::variables_map& values, Catalog& catalog);
// Finishes every output, then publishes every output: a failure in any
// leaves none of them under its name.
void publish_all(std::initializer_list<AtomicOutput*> outputs);

}  // namespace matchfund::cli
