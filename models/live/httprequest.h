#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tl::live {

struct HttpRequest
{
    std::string method, target, version;
    std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
    std::string body;
    bool keepAlive = true;

    // The first header of that (lower-case) name, or empty.
    std::string_view header(std::string_view name) const;
};

// Reads HTTP/1.1 requests from a connection's bytes as they arrive
// (Content-Length or chunked bodies, pipelined requests). Limits are checked
// before anything is buffered past them, so a client cannot make the
// receiver hold more than maxBody.
class HttpRequestParser
{
public:
    enum class State { NeedMore, Ready, Error };

    explicit HttpRequestParser(size_t maxBody)
        : m_maxBody(maxBody)
    {}
    // Appends bytes; then call next() until it returns NeedMore.
    void feed(std::string_view bytes) { m_buf.append(bytes); }
    State next(HttpRequest &out);
    // On Error: the status to answer with (400, 413, 431, 501) and why.
    int errorStatus() const { return m_errorStatus; }
    const std::string &error() const { return m_error; }

private:
    State fail(int status, std::string why);
    State readChunked(HttpRequest &out, size_t start);

    size_t m_maxBody;
    std::string m_buf;
    int m_errorStatus = 0;
    std::string m_error;
};

// One response: the status line, Content-Type/Length, any extra headers.
std::string httpResponse(int status, std::string_view contentType, std::string_view body,
                         const std::vector<std::pair<std::string, std::string>> &extra = {},
                         bool keepAlive = true);

} // namespace tl::live
