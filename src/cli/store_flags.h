// File: cli/store_flags.h
//
// The --store flag shared by every command that opens a store: the flag, else
// $TRAILBOOK_STORE, else ./trailbook-data.
#pragma once

#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace trailbook::cli {

// Adds --store to `cmd`, bound to `*dir`.
void AddStoreFlag(CLI::App* cmd, std::string* dir);

// Returns the store directory to use given the flag's value (empty when not given).
std::string ResolveStoreDir(const std::string& flag_value);

// Prints "trailbook: <message>" to stderr.
void PrintError(const std::string& message);

}  // namespace trailbook::cli
