#include "textfile.h"

#include <fstream>
#include <sstream>

namespace tl {

std::optional<std::string> readTextFile(const std::string &path, std::string *error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (error)
            *error = path + ": cannot be read";
        return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace tl
