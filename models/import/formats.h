#pragma once

#include "recordreader.h"

#include <memory>
#include <string>
#include <vector>

namespace tl {

// The log formats the importer knows, each with a content sniffer, so that
// `--format auto` decides by what a file holds, not by its name.
struct LogFormat
{
    std::string name;
    std::string description;
    bool (*sniff)(std::string_view head);
    std::unique_ptr<RecordReader> (*open)(std::unique_ptr<class ChunkReader> in,
                                          const std::string &file);
};

const std::vector<LogFormat> &logFormats();
std::string logFormatNames(); // "csv, jsonl, …"

// Opens `path` with the named format, or detects it ("auto"). On failure
// returns nullptr and a one-line reason that names the file.
std::unique_ptr<RecordReader> openLogFile(const std::string &path, const std::string &format,
                                          std::string *detected, std::string *error);

} // namespace tl
